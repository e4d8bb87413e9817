//! The `keel` binary: parses the command line and hands over to the library.

// mimalloc rather than glibc's malloc: glibc keeps the memory the demo import and bursts of
// reports freed (per-thread arenas, trimmed only at their top), so an idle `keel serve
// --demo` held 117 MiB; mimalloc returns freed pages to the system (measured in README.md,
// "Goals of issue 14").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    keel::cli::main()
}
