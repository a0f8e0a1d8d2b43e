//! What the API tests share: a fresh database per test (`db`), a server in this process with
//! a client over real HTTP (`app`), and the real binary where a process is what is tested
//! (`process`).

mod app;
mod db;
mod feeds;
mod logs;
mod process;
mod receiver;
mod smtp;

pub use app::*;
pub use db::*;
pub use feeds::*;
pub use logs::*;
pub use process::*;
pub use receiver::*;
pub use smtp::*;

pub const PASSWORD: &str = "correct horse";
