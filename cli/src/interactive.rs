//! `hotel` with no arguments: the original client's conversation.

use std::process::ExitCode;

use crate::client::{Auth, Client, Failure};
use crate::input::Input;
use crate::output::{Style, bookings_table, rooms_table};
use crate::{EXIT_REFUSED, EXIT_UNREACHABLE, unreachable_message};

const ACTIONS: &str = "rooms | book | query | update | checkout | bookings | cancel | help | exit";

pub async fn run(server: &str, style: Style) -> ExitCode {
    let mut input = Input::new();
    println!("{}", style.bold("=== Hotel Booking System ==="));
    println!("Server: {server}");
    let Some(username) = input.line("Username: ") else {
        return ExitCode::SUCCESS;
    };
    let Some(password) = input.password("Password: ") else {
        return ExitCode::SUCCESS;
    };
    let username = username.trim().to_string();
    let client = match Client::new(
        server,
        Auth::Password {
            username: username.clone(),
            password,
        },
    ) {
        Ok(c) => c,
        Err(e) => return fail(server, &e),
    };

    // Check the credentials at once, as the original did: a wrong password ends here.
    match client.query().await {
        Ok(answer) => println!("Welcome back, {username}. {}", answer.value.message),
        Err(Failure::Refused { status, .. }) if status.as_u16() == 404 => {
            println!("Welcome, {username}. Your account is created with your first booking.");
        }
        Err(e) => return fail(server, &e),
    }

    loop {
        println!();
        let Some(line) = input.line(&format!("Choose an action ({ACTIONS}): ")) else {
            println!();
            println!("Goodbye.");
            return ExitCode::SUCCESS;
        };
        let action = line.trim().to_lowercase();
        let outcome = match action.as_str() {
            "" => continue,
            "exit" | "quit" | "q" => {
                println!("Goodbye.");
                return ExitCode::SUCCESS;
            }
            "help" | "?" => {
                print_help();
                Ok(())
            }
            "rooms" => client
                .rooms(None)
                .await
                .map(|a| print!("{}", rooms_table(style, &a.value))),
            "book" => {
                let Some(n) = positive(&mut input, "Number of rooms to book: ") else {
                    continue;
                };
                client
                    .book(hotel_shared::BookRequest {
                        auth: Default::default(),
                        num_rooms: n,
                        check_in: None,
                        check_out: None,
                        guests: None,
                        room_type_id: None,
                        rate_plan_id: None,
                    })
                    .await
                    .map(|a| {
                        println!("{}", a.value.message);
                        print!("{}", bookings_table(style, &a.value.bookings));
                    })
            }
            "query" => client
                .query()
                .await
                .map(|a| println!("{}", a.value.message)),
            "bookings" => client.query().await.map(|a| {
                println!("{}", a.value.message);
                print!("{}", bookings_table(style, &a.value.bookings));
            }),
            "update" => {
                let Some(room) = positive(&mut input, "New room number: ") else {
                    continue;
                };
                client
                    .update(room, None)
                    .await
                    .map(|a| println!("{}", a.value.message))
            }
            "checkout" => client
                .checkout()
                .await
                .map(|a| println!("{}", a.value.message)),
            "cancel" => {
                let Some(id) = input.integer("Booking number to cancel: ") else {
                    continue;
                };
                client
                    .cancel(id)
                    .await
                    .map(|a| println!("{}", a.value.message))
            }
            other => {
                println!("Unknown action: {other}. Type help to see what you can do.");
                Ok(())
            }
        };
        match outcome {
            Ok(()) => {}
            Err(Failure::Refused { message, .. }) => println!("{}", style.bad(&message)),
            Err(e) => println!("{}", style.bad(&describe(server, &e))),
        }
    }
}

/// Asks for a positive whole number; `None` at end of input.
fn positive(input: &mut Input, prompt: &str) -> Option<u32> {
    loop {
        let n = input.integer(prompt)?;
        match u32::try_from(n) {
            Ok(n) if n > 0 => return Some(n),
            _ => println!("Enter a positive integer."),
        }
    }
}

fn print_help() {
    println!("rooms     every room and whether it is taken tonight");
    println!("book      book a number of rooms for tonight");
    println!("query     the rooms you have booked");
    println!("bookings  your stays with their numbers and dates");
    println!("update    move your first room to another room");
    println!("checkout  check out of your current stays");
    println!("cancel    cancel a stay that has not begun");
    println!("exit      leave");
}

fn describe(server: &str, failure: &Failure) -> String {
    match failure {
        Failure::Refused { message, .. } => message.clone(),
        Failure::Unreachable(cause) => unreachable_message(server, cause),
        Failure::Protocol(detail) => format!("The server answered something unexpected: {detail}"),
    }
}

fn fail(server: &str, failure: &Failure) -> ExitCode {
    match failure {
        Failure::Unreachable(_) => {
            eprintln!("{}", describe(server, failure));
            ExitCode::from(EXIT_UNREACHABLE)
        }
        // Part of the conversation, like every other answer, as the original printed it.
        _ => {
            println!("{}", describe(server, failure));
            ExitCode::from(EXIT_REFUSED)
        }
    }
}
