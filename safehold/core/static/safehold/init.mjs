// Start GOV.UK Frontend and MOJ Frontend components on every page.
import { initAll as initGovuk } from "/static/govuk/govuk-frontend.min.js";

// A table wider than the page scrolls inside its own box, not the page (390 px phones): each
// table not already in one is wrapped in a region keyboard users can focus and scroll, named
// by the table's caption (GOV.UK's advice for wide tables). Without JavaScript, safehold.scss
// lets the table itself scroll.
for (const table of document.querySelectorAll("main table")) {
  if (table.closest(".safehold-table-wrapper")) continue;
  const wrapper = document.createElement("div");
  wrapper.className = "safehold-table-wrapper";
  wrapper.setAttribute("role", "region");
  wrapper.tabIndex = 0;
  const caption = table.caption?.textContent.trim();
  wrapper.setAttribute("aria-label", caption || "Table");
  table.before(wrapper);
  wrapper.append(table);
}

initGovuk();
