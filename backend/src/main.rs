use clap::Parser;
use hotel_backend::Config;
use tracing_subscriber::EnvFilter;

/// mimalloc, for SQLite's allocations too (the `override` feature replaces `malloc`). glibc's
/// allocator handed the 64 KiB savepoint journal SQLite frees after every write back to the
/// kernel in some runs and not in others, depending on its history: each write then paid for
/// `madvise`, a TLB flush on every core and fresh page faults, a third of the booking rate.
/// Without transparent huge pages (`no_thp`), its memory use stays as glibc's was.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let config = Config::parse();
    let filter = EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match config.log_format {
        hotel_backend::config::LogFormat::Json => logs.json().init(),
        hotel_backend::config::LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hotel-server: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Some(hotel_backend::config::Command::Staff { action }) = &config.command {
        match runtime.block_on(hotel_backend::admin::staff(&config, action)) {
            Ok(done) => println!("{done}"),
            Err(e) => {
                eprintln!("hotel-server: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    if let Some(hotel_backend::config::Command::ApiKey { action }) = &config.command {
        match runtime.block_on(hotel_backend::admin::api_key(&config, action)) {
            Ok(done) => println!("{done}"),
            Err(e) => {
                eprintln!("hotel-server: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    if let Some(hotel_backend::config::Command::Settings { setting }) = &config.command {
        match runtime.block_on(hotel_backend::admin::settings(&config, setting)) {
            Ok(done) => println!("{done}"),
            Err(e) => {
                eprintln!("hotel-server: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let file_work = match &config.command {
        Some(hotel_backend::config::Command::Backup { to }) => Some(
            hotel_backend::backup::sqlite_path(&config.database)
                .and_then(|db| hotel_backend::backup::backup(db, to))
                .map(|w| w.to_string()),
        ),
        Some(hotel_backend::config::Command::Restore { from }) => Some(
            hotel_backend::backup::sqlite_path(&config.database)
                .and_then(|db| hotel_backend::backup::restore(from, db)),
        ),
        _ => None,
    };
    if let Some(outcome) = file_work {
        match outcome {
            Ok(done) => println!("{done}"),
            Err(e) => {
                eprintln!("hotel-server: {e}");
                std::process::exit(1);
            }
        }
        return;
    }
    if let Err(e) = runtime.block_on(hotel_backend::run(config)) {
        eprintln!("hotel-server: {e}");
        std::process::exit(1);
    }
}
