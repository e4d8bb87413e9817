//! The metric definitions every figure links to.

pub mod page;
