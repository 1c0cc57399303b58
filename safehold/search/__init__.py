"""One search box in every page's header: cases by reference, people by name and date of birth,
places by postcode and address, and referrals, each through its app's read gate, with the
"who else" hint for people other agencies have shared with the user's agency by name only."""
