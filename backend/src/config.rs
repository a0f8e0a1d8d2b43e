use crate::domain::clock::HotelClock;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

/// Every setting of the server. Each flag can also be given as an environment variable.
#[derive(Parser, Debug, Clone)]
#[command(name = "hotel-server", version, about = "The Hotel booking server")]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "HOTEL_LISTEN", default_value = "127.0.0.1:8000")]
    pub listen: SocketAddr,

    /// Where the data lives: `sqlite://PATH` (created with its schema if missing) or
    /// `postgres://USER@HOST:PORT/DB` (an existing database; its tables are created if missing).
    #[arg(
        long,
        env = "HOTEL_DATABASE",
        default_value = "sqlite://hotel.db",
        global = true
    )]
    pub database: String,

    /// Most connections to PostgreSQL this instance opens at once (ignored for SQLite).
    #[arg(long, env = "HOTEL_DB_POOL", default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub db_pool: u32,

    /// Rooms 1..=N created when the database has no rooms yet.
    #[arg(long, env = "HOTEL_ROOMS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub rooms: u32,

    /// ISO 4217 code of the currency rates are in. Fixed when the database is created; a
    /// database keeps the currency it was created with.
    #[arg(long, env = "HOTEL_CURRENCY", default_value = "EUR", value_parser = parse_currency)]
    pub currency: String,

    /// The hotel's time zone (IANA name); decides what "tonight" is. Defaults to the system's.
    #[arg(long, env = "HOTEL_TIMEZONE")]
    pub timezone: Option<String>,

    /// Serve the web app from this folder (a trunk build) instead of the one built into the
    /// binary: for developing the app.
    #[arg(long, env = "HOTEL_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Serve the API alone, without the web app built into the binary (for an instance behind
    /// a site hosted elsewhere). `--static-dir` still serves a folder.
    #[arg(long, env = "HOTEL_API_ONLY")]
    pub api_only: bool,

    /// How long a sign-in lasts, in hours.
    #[arg(long, env = "HOTEL_SESSION_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u32).range(1..=24 * 90))]
    pub session_hours: u32,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "HOTEL_BODY_LIMIT", default_value_t = 64 * 1024)]
    pub body_limit: usize,

    /// Most memory, in MiB, that request bodies still being received may hold at once, over
    /// every connection; a request whose body would go past it is refused with 503.
    #[arg(long, env = "HOTEL_MAX_BODY_MEMORY", default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=65_536))]
    pub max_body_memory: u32,

    /// Most room, in MiB, all the hotel's photos together may take in the database (and in
    /// every backup); a photo beyond it is refused with 409.
    #[arg(long, env = "HOTEL_MAX_PHOTO_STORAGE", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_photo_storage: u32,

    /// A request that takes longer than this many seconds is answered with 503.
    #[arg(long, env = "HOTEL_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Most room-nights (rooms times nights) one guest booking may hold; `0`: no limit.
    /// Staff and the front desk are not limited.
    #[arg(long, env = "HOTEL_MAX_ROOM_NIGHTS_PER_BOOKING", default_value_t = 60)]
    pub max_room_nights_per_booking: u32,

    /// Most room-nights one guest may hold in all their open bookings; `0`: no limit.
    #[arg(
        long,
        env = "HOTEL_MAX_OPEN_ROOM_NIGHTS_PER_GUEST",
        default_value_t = 60
    )]
    pub max_open_room_nights_per_guest: u32,

    /// Most accounts one client address may create in an hour (sign-ups and first bookings
    /// of new names alike); `0`: no limit.
    #[arg(long, env = "HOTEL_SIGNUP_RATE_LIMIT", default_value_t = 20)]
    pub signup_rate_limit: u32,

    /// Most room-nights guests from one client address (an IPv6 /64) may book in a day, as a
    /// percentage of the hotel's rooms times 30 nights, and never fewer than one guest may
    /// hold; `0`: no limit.
    #[arg(long, env = "HOTEL_ADDRESS_SHARE", default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=100))]
    pub address_share: u32,

    /// Most guest bookings per minute from one client address, and from one account; `0`:
    /// no limit.
    #[arg(long, env = "HOTEL_BOOKING_RATE_LIMIT", default_value_t = 60)]
    pub booking_rate_limit: u32,

    /// Addresses or networks (`10.0.0.5`, `10.0.0.0/8`, comma-separated) of the proxies or
    /// load balancers in front of this server. Only from these peers are `X-Forwarded-For`,
    /// `Forwarded` and `X-Forwarded-Proto` believed; from anyone else they are ignored.
    #[arg(long = "trusted-proxy", env = "HOTEL_TRUSTED_PROXY", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Seconds a client has, from the moment its connection is ready for a request (just
    /// opened, or idle after an answer), to send the request's headers; then it is closed.
    #[arg(long = "header-timeout", env = "HOTEL_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub header_timeout_secs: u64,

    /// Most connections open at once; a client beyond them gets a 503 at once. `0` chooses
    /// 10,000, or less when the open-files limit is lower.
    #[arg(long, env = "HOTEL_MAX_CONNECTIONS", default_value_t = 0)]
    pub max_connections: usize,

    /// Make a new, empty hotel even where one lived before (a database missing while its
    /// `PATH.existed` marker remains is otherwise refused as lost). Opens an existing
    /// database as usual.
    #[arg(long, env = "HOTEL_CREATE", global = true)]
    pub create: bool,

    /// Take a backup of the SQLite database into this folder at start and then every
    /// `--backup-every`, keeping the newest `--backup-keep` (`hotel-YYYYMMDDTHHMMSSZ.db`).
    #[arg(long, env = "HOTEL_BACKUP_DIR")]
    pub backup_dir: Option<PathBuf>,

    /// How often the scheduled backup runs: `30m`, `1h`, `1d`, …
    #[arg(long, env = "HOTEL_BACKUP_EVERY", default_value = "1h", value_parser = parse_every)]
    pub backup_every: Duration,

    /// How many scheduled backups to keep; older ones are deleted.
    #[arg(long, env = "HOTEL_BACKUP_KEEP", default_value_t = 48, value_parser = clap::value_parser!(u32).range(1..))]
    pub backup_keep: u32,

    /// Days after a guest's last stay ends that their identity document number is kept (it
    /// is cleared from the profile and the audit log then; checked every hour).
    #[arg(long, env = "HOTEL_KEEP_ID_DOCUMENTS_DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_id_documents_days: u32,

    /// Days before arrival the guest is e-mailed a reminder of their stay; `0` sends none.
    #[arg(long, env = "HOTEL_REMINDER_DAYS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(0..=30))]
    pub reminder_days: u32,

    /// The hotel's time of day (`HH:MM`) the reminders go out.
    #[arg(long, env = "HOTEL_REMINDER_TIME", default_value = "10:00", value_parser = parse_reminder_time)]
    pub reminder_time: (i8, i8),

    /// Minutes between syncs of each booking site calendar a room imports (`0`: only when
    /// staff ask, `POST /staff/feeds/{id}/sync`).
    #[arg(long, env = "HOTEL_ICAL_SYNC_MINUTES", default_value_t = 15, value_parser = clap::value_parser!(u32).range(0..=1440))]
    pub ical_sync_minutes: u32,

    /// Seconds a fetch of a booking site's calendar may take, redirects included.
    #[arg(long, env = "HOTEL_ICAL_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=300))]
    pub ical_timeout_secs: u32,

    /// Seconds before a webhook's failed delivery is tried again; the wait doubles with each
    /// failure, up to an hour. After a day of failures the webhook is paused.
    #[arg(long, env = "HOTEL_WEBHOOK_RETRY_SECS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=3600))]
    pub webhook_retry_secs: u32,

    /// Seconds a webhook's receiver has to answer a delivery.
    #[arg(long, env = "HOTEL_WEBHOOK_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub webhook_timeout_secs: u32,

    /// Days a message to a guest is kept after it was queued (sent or given up on); older ones
    /// are deleted, checked every hour.
    #[arg(long, env = "HOTEL_KEEP_MESSAGES_DAYS", default_value_t = 365, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub keep_messages_days: u32,

    /// A shell command run after each scheduled backup is written and checked, with the
    /// backup's path as `$1` (and `HOTEL_BACKUP_PATH`): to copy it off the machine, e.g.
    /// `rclone copy "$1" offsite:hotel/`. A failure (or a run longer than `--backup-every`) is
    /// logged and shown in `/healthz`.
    #[arg(long, env = "HOTEL_BACKUP_COMMAND")]
    pub backup_command: Option<String>,

    /// The mail server that sends the hotel's messages: `smtp://user:password@host:587`
    /// (STARTTLS, insisted on unless the server is on this machine or `?tls=opportunistic`
    /// is added) or `smtps://user:password@host:465` (TLS from the start). The password
    /// never appears in a log line.
    #[arg(long, env = "HOTEL_SMTP_URL", value_parser = parse_smtp_url)]
    pub smtp_url: Option<SmtpUrl>,

    /// The address the hotel's messages come from, e.g. `Hotel Example <desk@hotel.example>`.
    #[arg(long, env = "HOTEL_MAIL_FROM")]
    pub mail_from: Option<String>,

    /// Write each message as an `.eml` file into this folder instead of sending it (for
    /// set-ups without a mail server). With neither this nor --smtp-url, messages stay queued.
    #[arg(long, env = "HOTEL_MAIL_DIR")]
    pub mail_dir: Option<PathBuf>,

    /// The hotel site's address as guests reach it, for the links in its messages, e.g.
    /// `https://hotel.example`. Without it, `http://` and the --listen address.
    #[arg(long, env = "HOTEL_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Serve HTTPS (HTTP/2 and HTTP/1.1) with this certificate chain (PEM); needs --tls-key.
    /// The files are read again when they change (a renewal), without a restart.
    #[arg(long, env = "HOTEL_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,

    /// The certificate's private key (PEM).
    #[arg(long, env = "HOTEL_TLS_KEY")]
    pub tls_key: Option<PathBuf>,

    /// Also listen for plain HTTP on this address (e.g. 0.0.0.0:80) and send every request to
    /// the same address over HTTPS.
    #[arg(long, env = "HOTEL_REDIRECT_HTTP")]
    pub redirect_http: Option<SocketAddr>,

    /// Also serve `GET /metrics` on this address, to anyone who reaches it (a Prometheus on a
    /// private network); on the main port it is for staff only.
    #[arg(long, env = "HOTEL_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,

    /// Log filter, e.g. `info`, `warn`, `hotel_backend=debug`. Request lines are logged at `info`.
    #[arg(long, env = "HOTEL_LOG", default_value = "info")]
    pub log: String,

    /// How log lines are written: `text` for people, `json` (one object a line) for log
    /// collectors.
    #[arg(long, env = "HOTEL_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Without a command, the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum Command {
    /// Manage staff accounts (on the database of --database).
    Staff {
        #[command(subcommand)]
        action: StaffAction,
    },
    /// Manage keys for programs (on the database of --database).
    #[command(name = "api-key")]
    ApiKey {
        #[command(subcommand)]
        action: KeyAction,
    },
    /// Copy the SQLite database (running or not) to a new file, and check the copy.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
    },
    /// Change what the hotel keeps with its data (on the database of --database).
    Settings {
        #[command(subcommand)]
        setting: Setting,
    },
    /// Put a backup in place of the SQLite database; refused while a server runs on it.
    Restore {
        /// A backup written by `hotel-server backup` or the schedule.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum Setting {
    /// Move the hotel to another time zone (an IANA name such as Europe/Vienna): what
    /// "tonight", arrivals and fees mean from the server's next start on. Audited.
    Timezone { zone: String },
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum KeyAction {
    /// Make a key and print it (shown this once; only its digest is kept).
    Create {
        /// What the key is for: lower-case letters, digits, '.', '_', '-'.
        name: String,
        /// What it may do: read, bookings, rates (repeat for more than one).
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
    },
    /// List the keys: name, scopes, last four characters, last use.
    List,
    /// Revoke a key by name: it opens nothing from now on.
    Revoke { name: String },
}

#[derive(clap::Subcommand, Debug, Clone)]
pub enum StaffAction {
    /// Create a staff account; asks for its password (or reads one line from stdin).
    Create { username: String },
    /// Make an existing account staff.
    Grant { username: String },
    /// Make an existing account a housekeeper: the rooms to clean, nothing of guests or money.
    Housekeeper { username: String },
    /// Make a staff or housekeeper account a guest again.
    Revoke { username: String },
    /// Set a new password for an account (a member of staff who forgot theirs); asks for it
    /// (or reads one line from stdin). Every session of the account ends.
    Password { username: String },
}

impl Config {
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs.max(1))
    }

    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs.max(1))
    }

    pub fn body_memory_bytes(&self) -> usize {
        usize::try_from(self.max_body_memory)
            .unwrap_or(usize::MAX)
            .saturating_mul(1024 * 1024)
            .min(tokio::sync::Semaphore::MAX_PERMITS)
    }

    pub fn session_ttl(&self) -> Duration {
        Duration::from_secs(u64::from(self.session_hours) * 3600)
    }

    /// Settings for tests and tools that build a server in-process.
    /// The address links in messages point to.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.clone(),
            None => match (self.tls_cert.is_some(), self.listen) {
                (true, addr) => format!("https://{addr}"),
                (false, addr) => format!("http://{addr}"),
            },
        }
    }

    pub fn for_database(database: impl Into<String>) -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            database: database.into(),
            db_pool: 8,
            rooms: 10,
            currency: "EUR".into(),
            timezone: None,
            static_dir: None,
            // The protocol's own answers (a JSON 404 for `/`); a test that wants the app
            // gives its folder.
            api_only: true,
            session_hours: 24,
            body_limit: 64 * 1024,
            max_body_memory: 32,
            max_photo_storage: 100,
            request_timeout_secs: 30,
            max_room_nights_per_booking: 60,
            max_open_room_nights_per_guest: 60,
            signup_rate_limit: 20,
            booking_rate_limit: 60,
            address_share: 10,
            trusted_proxies: Vec::new(),
            header_timeout_secs: 10,
            max_connections: 0,
            // Tests and tools start new hotels in new folders; an existing one opens as usual.
            create: true,
            backup_dir: None,
            backup_every: Duration::from_secs(3600),
            backup_keep: 48,
            backup_command: None,
            keep_id_documents_days: 90,
            keep_messages_days: 365,
            reminder_days: 2,
            reminder_time: (10, 0),
            ical_sync_minutes: 15,
            ical_timeout_secs: 30,
            webhook_retry_secs: 10,
            webhook_timeout_secs: 10,
            metrics_listen: None,
            smtp_url: None,
            mail_from: None,
            mail_dir: None,
            public_url: None,
            tls_cert: None,
            tls_key: None,
            redirect_http: None,
            log: "warn".into(),
            log_format: LogFormat::Text,
            command: None,
        }
    }
}

/// A network (`10.0.0.0/8`) or one address (`10.0.0.5`).
fn parse_network(text: &str) -> Result<ipnet::IpNet, String> {
    let text = text.trim();
    text.parse::<ipnet::IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| "expected an address or a network such as 10.0.0.5 or 10.0.0.0/8".into())
}

fn parse_currency(code: &str) -> Result<String, String> {
    if hotel_shared::money::is_currency_code(code) {
        Ok(code.to_string())
    } else {
        Err("expected an ISO 4217 code of three capital letters, such as EUR or USD".into())
    }
}

impl Config {
    /// Opens the store these settings name (`--database`, `--rooms`, `--db-pool`,
    /// `--currency`, `--timezone`, `--create`). A new hotel keeps `--timezone` (the system's
    /// zone without it); an existing one keeps its own, and a `--timezone` that differs from
    /// it is refused: a hotel's days do not move with the machine it runs on.
    pub async fn open_store(&self) -> Result<crate::store::Store, String> {
        let zone = match &self.timezone {
            Some(asked) => HotelClock::new(Some(asked))?,
            None => HotelClock::new(None)?,
        };
        let store = crate::store::Store::open(
            &self.database,
            crate::store::ops::rooms::Seed {
                rooms: self.rooms,
                currency: self.currency.clone(),
                timezone: zone.name().to_string(),
            },
            self.db_pool as usize,
            self.create,
        )
        .await?;
        if let Some(asked) = &self.timezone
            && asked != store.timezone()
        {
            let kept = store.timezone().to_string();
            store.close().await;
            return Err(format!(
                "this hotel keeps its days in {kept}, not {asked}: --timezone (HOTEL_TIMEZONE) \
                 differs from the zone stored with the hotel. Leave it out to use {kept}, or \
                 move the hotel to another zone with `hotel-server settings timezone ZONE`."
            ));
        }
        Ok(store)
    }
}

/// `--smtp-url`, which holds a password: its `Debug` leaves the password out.
#[derive(Clone)]
pub struct SmtpUrl(pub String);

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match url::Url::parse(&self.0) {
            Ok(mut url) => {
                if url.password().is_some() {
                    let _ = url.set_password(Some("(hidden)"));
                }
                write!(f, "SmtpUrl({url})")
            }
            Err(_) => f.write_str("SmtpUrl(not an address)"),
        }
    }
}

fn parse_reminder_time(text: &str) -> Result<(i8, i8), String> {
    crate::domain::mail::parse_time_of_day(text)
        .ok_or_else(|| "expected a time of day such as 10:00".to_string())
}

fn parse_smtp_url(text: &str) -> Result<SmtpUrl, String> {
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "smtp" | "smtps") && url.host_str().is_some() => {
            Ok(SmtpUrl(text.to_string()))
        }
        // Never the text itself: it may hold a password.
        _ => Err("expected smtp://user:password@host:587 or smtps://user:password@host:465".into()),
    }
}

/// `--backup-every`: `90s`, `30m`, `1h`, `1d`, or several of them (`1h 30m`).
pub fn parse_every(text: &str) -> Result<Duration, String> {
    let span: jiff::SignedDuration = text
        .parse()
        .map_err(|_| "expected a duration such as 30m, 1h or 1d".to_string())?;
    let every = span.unsigned_abs();
    if span.is_negative() || every < Duration::from_secs(1) {
        return Err("expected at least one second".into());
    }
    Ok(every)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reads_the_usual_spellings() {
        assert_eq!(parse_every("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_every("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_every("1h 30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_every("0s").is_err());
        assert!(parse_every("often").is_err());
    }
}
