#![forbid(unsafe_code)]
#![recursion_limit = "512"]
use clap::Parser;

#[tokio::main]
async fn main() {
    let cli = helios_server::cli::Cli::parse();
    if let Err(e) = helios_server::cli::run(cli).await {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}
