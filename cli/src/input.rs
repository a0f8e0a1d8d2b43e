//! Reading what the person types, or what a script pipes in.

use std::io::{BufRead, IsTerminal, Write};

pub struct Input {
    lines: std::io::Lines<std::io::StdinLock<'static>>,
    interactive: bool,
}

impl Input {
    pub fn new() -> Input {
        let stdin = std::io::stdin();
        let interactive = stdin.is_terminal();
        Input {
            lines: stdin.lock().lines(),
            interactive,
        }
    }

    /// Prints `prompt` and reads one line; `None` at end of input (Ctrl-D).
    pub fn line(&mut self, prompt: &str) -> Option<String> {
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        match self.lines.next() {
            Some(Ok(line)) => Some(line.trim_end_matches('\r').to_string()),
            _ => None,
        }
    }

    /// A password: not echoed on a terminal, read as a plain line from a pipe.
    pub fn password(&mut self, prompt: &str) -> Option<String> {
        if self.interactive {
            rpassword::prompt_password(prompt).ok()
        } else {
            self.line(prompt)
        }
    }

    /// Asks until the answer is a whole number.
    pub fn integer(&mut self, prompt: &str) -> Option<i64> {
        loop {
            let line = self.line(prompt)?;
            match line.trim().parse::<i64>() {
                Ok(n) => return Some(n),
                Err(_) => println!("Enter a valid integer."),
            }
        }
    }
}
