//! Imports one file into a project, creating the project if needed, and prints the summary
//! and the time taken — for measuring imports before (and besides) the `keel` CLI.
//!
//! `cargo run --release -p keel-import --example import_file -- DATABASE_URL FORMAT FILE`

use keel_import::Format;
use keel_store::Store;
use keel_store::projects::NewProject;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, format, file] = args.as_slice() else {
        return Err("usage: import_file DATABASE_URL FORMAT FILE".into());
    };
    let format: Format = format.parse()?;
    let store = Store::open(url).await?;
    let org = store.default_org().await?;
    let project = match store.project_by_slug(org.id(), "bench").await? {
        Some(p) => p,
        None => {
            store
                .create_project(&NewProject {
                    org: org.id(),
                    slug: keel_domain::Slug::parse("bench")?,
                    name: keel_domain::ProjectName::parse("Bench")?,
                    started_on: chrono::Utc::now().date_naive(),
                    client: None,
                })
                .await?
        }
    };
    let started = Instant::now();
    let reader = std::fs::File::open(file)?;
    let summary = keel_import::import(&store, &project, format, reader, file, "bench", &|_| {}).await?;
    println!("{summary:?} in {:.2?}", started.elapsed());
    store.close().await;
    Ok(())
}
