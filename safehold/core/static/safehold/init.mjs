// Start GOV.UK Frontend and MOJ Frontend components on every page.
import { initAll as initGovuk } from "/static/govuk/govuk-frontend.min.js";

initGovuk();
