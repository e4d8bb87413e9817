//! SMART goals and KPIs (PRODUCT.md core rules 1, 2 and 6): the metric catalog, KPI presets,
//! a metric's value on a day, and the feasibility check, progress and forecast of a goal.

pub mod catalog;
pub mod feasibility;
pub mod measure;

pub use catalog::{Aggregation, GoalType, Metric, MetricInfo, WINDOW_DAYS};
pub use feasibility::{Feasibility, Forecast, Target, Verdict};
pub use measure::{MetricDay, MetricSeries};
