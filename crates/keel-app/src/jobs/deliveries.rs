//! The delivery channels of this installation, one per [`Channel`].

use keel_domain::notification::{Channel, Deliver};
use std::sync::Arc;

/// Every delivery channel of this installation; the in-app channel is always there, other
/// crates add theirs (e-mail, Telegram).
#[derive(Clone, Default)]
pub struct Deliveries {
    channels: Vec<Arc<dyn Deliver>>,
}

impl Deliveries {
    pub fn new() -> Deliveries {
        Deliveries::default()
    }

    /// Adds a channel (replacing one already registered for the same [`Channel`]).
    pub fn register(&mut self, channel: Arc<dyn Deliver>) {
        self.channels.retain(|c| c.channel() != channel.channel());
        self.channels.push(channel);
    }

    pub fn channels(&self) -> impl Iterator<Item = Channel> + '_ {
        self.channels.iter().map(|c| c.channel())
    }

    pub(crate) fn get(&self, channel: Channel) -> Option<&Arc<dyn Deliver>> {
        self.channels.iter().find(|c| c.channel() == channel)
    }
}
