//! keel-platforms' clients against local servers that answer as the platforms do.

mod telegram;
