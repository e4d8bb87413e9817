//! keel-notify against real local servers: an SMTP server and a Bot API server (keel-testkit)
//! that the tests start on loopback, plus an independent iCalendar parser.

mod email;
mod fixtures;
mod ical_feed;
mod telegram_bot;
mod telegram_channel;
