//! A project's calendar feeds: the page that makes and revokes secret iCal addresses, the
//! public feed, and where the feed's events come from.

pub mod page;
pub mod source;
