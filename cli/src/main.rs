//! `hotel`: the Hotel terminal client.

mod client;
mod input;
mod interactive;
mod output;
mod session;
mod staff;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use hotel_shared::{BookRequest, Credentials, Date};

use crate::client::{Answer, Auth, Client, Failure};
use crate::input::Input;
use crate::output::{Style, bookings_table, quote_table, rooms_table};

pub const EXIT_REFUSED: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_UNREACHABLE: u8 = 3;

#[derive(Parser)]
#[command(
    name = "hotel",
    version,
    about = "Book rooms at the Hotel from a terminal",
    long_about = "Book rooms at the Hotel from a terminal.\n\n\
        With no command, hotel asks for your username and password and then offers the \
        actions of the original client (rooms, book, query, update, checkout). With a \
        command, it does that one thing and exits, for scripts.\n\n\
        Exit status: 0 done, 1 the server refused (its message is printed), 2 usage error, \
        3 the server cannot be reached.",
    after_help = "Signing in: `hotel login` keeps a session token in your config directory \
        (~/.config/hotel/session.json, readable only by you) and later commands use it. \
        Without one, commands take --user and the password from HOTEL_PASSWORD or a prompt."
)]
struct Cli {
    /// Address of the hotel server.
    #[arg(
        long,
        env = "HOTEL_SERVER",
        default_value = "http://127.0.0.1:8000",
        global = true
    )]
    server: String,
    /// Your username (otherwise the signed-in one, or a prompt).
    #[arg(long, short = 'u', env = "HOTEL_USER", global = true)]
    user: Option<String>,
    /// Print the server's JSON answer exactly as it was sent.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Every room and whether it is taken on a night (tonight by default).
    Rooms {
        /// The night to show, YYYY-MM-DD.
        #[arg(long)]
        date: Option<Date>,
    },
    /// Rooms free for every night of a stay.
    Availability {
        /// First night, YYYY-MM-DD.
        #[arg(long)]
        check_in: Date,
        /// Departure day, YYYY-MM-DD.
        #[arg(long)]
        check_out: Date,
    },
    /// Book ROOMS rooms (the lowest-numbered free ones), tonight unless dates are given.
    Book {
        /// How many rooms.
        rooms: u32,
        /// First night, YYYY-MM-DD (default: tonight).
        #[arg(long)]
        check_in: Option<Date>,
        /// Departure day, YYYY-MM-DD (default: the day after check-in).
        #[arg(long, conflicts_with = "nights")]
        check_out: Option<Date>,
        /// Number of nights instead of --check-out.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
        nights: Option<u16>,
        /// People per room; rooms too small are not offered (default 1).
        #[arg(long)]
        guests: Option<u32>,
        /// Only rooms of this type (the ids `hotel quote` shows).
        #[arg(long = "type")]
        room_type: Option<i64>,
        /// The rate plan (the plan ids `hotel quote` shows); the type's base plan otherwise.
        #[arg(long)]
        plan: Option<i64>,
    },
    /// What a stay costs in each room type on each rate plan, with the cancellation terms,
    /// and how many rooms of each type are free.
    Quote {
        /// First night, YYYY-MM-DD.
        #[arg(long)]
        check_in: Date,
        /// Departure day, YYYY-MM-DD.
        #[arg(long)]
        check_out: Date,
        /// People per room.
        #[arg(long, default_value_t = 1)]
        guests: u32,
    },
    /// The front desk (staff accounts only; uses the saved session or signs in for one command).
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    /// Your booked rooms (current and upcoming stays).
    Query,
    /// Your stays with their booking numbers and dates.
    Bookings,
    /// Move a stay to ROOM (your first stay unless --booking is given).
    Update {
        /// The room to move to.
        room: u32,
        /// The booking number of the stay to move.
        #[arg(long)]
        booking: Option<i64>,
    },
    /// Cancel a stay that has not begun.
    Cancel {
        /// Its booking number (see `hotel bookings`).
        id: i64,
    },
    /// Check out of your current stays.
    Checkout,
    /// Create an account.
    Register,
    /// Sign in and keep the session for later commands.
    Login,
    /// End the saved session.
    Logout,
    /// Print a shell completion script, e.g. `hotel completions bash > /etc/bash_completion.d/hotel`.
    Completions { shell: clap_complete::Shell },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One worker thread, so Ctrl-C is noticed even while the main thread waits for a line.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hotel: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(cli))
}

/// What a finished command prints: the sentence for people, the raw body for --json.
struct Done {
    raw: String,
    text: String,
}

impl<T> Answer<T> {
    fn show(self, text: impl FnOnce(&T) -> String) -> Done {
        Done {
            text: text(&self.value),
            raw: self.raw,
        }
    }
}

/// Ctrl-C leaves cleanly: the terminal gets its echo back (a password prompt turns it off)
/// and the conversation ends with a newline instead of a half-written prompt.
fn leave_cleanly_on_ctrl_c() {
    tokio::spawn(async {
        if tokio::signal::ctrl_c().await.is_ok() {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                let _ = std::process::Command::new("stty").arg("echo").status();
            }
            println!();
            std::process::exit(130);
        }
    });
}

async fn run(cli: Cli) -> ExitCode {
    leave_cleanly_on_ctrl_c();
    let style = Style::detect();
    let server = cli.server.trim_end_matches('/').to_string();
    let Some(command) = cli.command else {
        return interactive::run(&server, style).await;
    };
    let outcome = execute(&server, cli.user.as_deref(), command, style).await;
    match outcome {
        Ok(done) => {
            if cli.json {
                println!("{}", done.raw);
            } else if !done.text.is_empty() {
                print!("{}", done.text);
                if !done.text.ends_with('\n') {
                    println!();
                }
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Refused { message, body, .. }) => {
            if cli.json {
                println!("{body}");
            } else {
                eprintln!("{}", style.bad(&message));
            }
            ExitCode::from(EXIT_REFUSED)
        }
        Err(Failure::Unreachable(cause)) => {
            eprintln!("{}", unreachable_message(&server, &cause));
            ExitCode::from(EXIT_UNREACHABLE)
        }
        Err(Failure::Protocol(detail)) => {
            eprintln!("The server answered something unexpected: {detail}");
            ExitCode::from(EXIT_REFUSED)
        }
    }
}

pub fn unreachable_message(server: &str, cause: &str) -> String {
    format!(
        "Cannot reach the hotel server at {server} ({cause}).\n\
         Is it running? Start it with `hotel-server` (or `cargo xtask run` in the source tree), \
         or point --server / HOTEL_SERVER at it."
    )
}

/// Username and password: `--user` or a prompt, and `HOTEL_PASSWORD` or a prompt.
fn credentials(user: Option<&str>) -> Result<Credentials, Failure> {
    let mut input = Input::new();
    let username = match user {
        Some(u) => u.to_string(),
        None => input.line("Username: ").ok_or_else(missing_input)?,
    };
    let password = match std::env::var("HOTEL_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => input.password("Password: ").ok_or_else(missing_input)?,
    };
    Ok(Credentials {
        username: username.trim().to_string(),
        password,
    })
}

fn missing_input() -> Failure {
    Failure::Refused {
        status: reqwest::StatusCode::BAD_REQUEST,
        message: "No username or password given.".into(),
        body: r#"{"error":"No username or password given."}"#.into(),
    }
}

/// The saved session when it belongs to this server (and to --user, if given);
/// otherwise credentials.
fn auth_for(server: &str, user: Option<&str>) -> Result<Auth, Failure> {
    if let Some(saved) = session::load(server)
        && user.is_none_or(|u| u.trim() == saved.username)
    {
        return Ok(Auth::Token(saved.token));
    }
    let c = credentials(user)?;
    Ok(Auth::Password {
        username: c.username,
        password: c.password,
    })
}

async fn execute(
    server: &str,
    user: Option<&str>,
    command: Command,
    style: Style,
) -> Result<Done, Failure> {
    let anonymous = || Client::new(server, Auth::None);
    let signed_in = || -> Result<Client, Failure> { Client::new(server, auth_for(server, user)?) };
    match command {
        Command::Rooms { date } => Ok(anonymous()?
            .rooms(date)
            .await?
            .show(|r| rooms_table(style, r))),
        Command::Availability {
            check_in,
            check_out,
        } => Ok(anonymous()?
            .availability(check_in, check_out)
            .await?
            .show(|a| {
                format!(
                    "{} rooms free for all {} nights from {} to {}: {}",
                    a.available,
                    a.nights,
                    a.check_in,
                    a.check_out,
                    hotel_shared::room_list(&a.rooms)
                )
            })),
        Command::Quote {
            check_in,
            check_out,
            guests,
        } => Ok(anonymous()?
            .quote(check_in, check_out, guests)
            .await?
            .show(|q| quote_table(style, q))),
        Command::Staff(command) => staff::run(server, user, command, style).await,
        Command::Book {
            rooms,
            check_in,
            check_out,
            nights,
            guests,
            room_type,
            plan,
        } => {
            let check_out = match (check_out, nights) {
                (Some(d), _) => Some(d),
                (None, Some(n)) => {
                    let from = match check_in {
                        Some(d) => d,
                        // "Tonight" is the hotel's, so ask the hotel what day it is.
                        None => anonymous()?.rooms(None).await?.value.date,
                    };
                    Some(from.checked_add_days(i64::from(n)).ok_or_else(|| {
                        Failure::Protocol(format!("{n} nights from {from} is past the calendar"))
                    })?)
                }
                (None, None) => None,
            };
            Ok(signed_in()?
                .book(BookRequest {
                    auth: Default::default(),
                    num_rooms: rooms,
                    check_in,
                    check_out,
                    guests,
                    room_type_id: room_type,
                    rate_plan_id: plan,
                })
                .await?
                .show(|b| format!("{}\n{}", b.message, bookings_table(style, &b.bookings))))
        }
        Command::Query => Ok(signed_in()?.query().await?.show(|q| q.message.clone())),
        Command::Bookings => Ok(signed_in()?
            .query()
            .await?
            .show(|q| format!("{}\n{}", q.message, bookings_table(style, &q.bookings)))),
        Command::Update { room, booking } => Ok(signed_in()?
            .update(room, booking)
            .await?
            .show(|u| u.message.clone())),
        Command::Cancel { id } => Ok(signed_in()?.cancel(id).await?.show(|c| c.message.clone())),
        Command::Checkout => Ok(signed_in()?.checkout().await?.show(|c| c.message.clone())),
        Command::Register => {
            let c = credentials(user)?;
            Ok(anonymous()?
                .register(&c)
                .await?
                .show(|r| format!("{} You can now sign in as {}.", r.message, r.username)))
        }
        Command::Login => {
            let c = credentials(user)?;
            let answer = anonymous()?.login(&c).await?;
            let saved = session::Saved {
                server: server.to_string(),
                username: answer.value.username.clone(),
                token: answer.value.token.clone(),
                expires_at: answer.value.expires_at.to_string(),
            };
            let path = session::save(&saved).map_err(Failure::Protocol)?;
            Ok(answer.show(|l| {
                format!(
                    "{} The session is kept in {} until {}.",
                    l.message,
                    path.display(),
                    l.expires_at
                )
            }))
        }
        Command::Logout => {
            let Some(saved) = session::load(server) else {
                return Ok(Done {
                    raw: r#"{"message":"Not signed in."}"#.into(),
                    text: "Not signed in.".into(),
                });
            };
            let answer = Client::new(server, Auth::Token(saved.token))?
                .logout()
                .await;
            session::forget();
            Ok(answer?.show(|m| m.message.clone()))
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hotel", &mut script);
            let script = String::from_utf8_lossy(&script).into_owned();
            Ok(Done {
                raw: script.clone(),
                text: script,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_exit_with_status_two() {
        let err = Cli::try_parse_from(["hotel", "book", "many"]).err();
        assert_eq!(err.map(|e| e.exit_code()), Some(i32::from(EXIT_USAGE)));
    }
}
