use std::ops::Deref;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::Bytes;
use hotel_shared::Date;

use crate::auth::Auth;
use crate::config::Config;
use crate::domain::clock::HotelClock;
use crate::domain::limits::GuestLimits;
use crate::store::Store;
use crate::web::WebApp;

/// Everything a request handler may use. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub store: Store,
    pub auth: Auth,
    pub clock: HotelClock,
    pub rooms_cache: RoomsCache,
    pub feed_cache: FeedCache,
    pub web_app: Option<WebApp>,
    pub body_limit: usize,
    pub request_timeout: Duration,
    /// Peers whose forwarding headers are believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub limits: crate::server::Limits,
    /// Bytes of request bodies that may be on their way in at once, over every connection:
    /// a request whose body would go past it is refused (503 `busy`) before it is read.
    pub body_memory: BodyMemory,
    /// What one guest may hold.
    pub guest_limits: GuestLimits,
    pub signups_per_hour: u32,
    /// Percent of the hotel's next 30 nights one client address may book in a day.
    pub address_share: u32,
    /// Bytes all photos together may take in the database.
    pub photo_storage: u64,
    pub bookings_per_minute: u32,
    /// `--keep-id-documents-days`.
    pub keep_id_documents_days: u32,
    /// `--keep-messages-days`.
    pub keep_messages_days: u32,
    /// `--reminder-days` and `--reminder-time`.
    pub reminders: (u32, (i8, i8)),
    /// Scheduled backups (`--backup-dir`), run by a worker.
    pub backups: Option<crate::backup::Schedule>,
    /// The site's address as guests and booking sites reach it (`--public-url`): the base of
    /// the published calendars' addresses, and the host naming their events.
    pub public_url: String,
    /// `--ical-sync-minutes` (0: only on demand) and `--ical-timeout-secs`.
    pub ical_sync: (u32, Duration),
    /// `--webhook-retry-secs` (the first wait after a failed delivery) and
    /// `--webhook-timeout-secs`.
    pub webhooks: (i64, Duration),
    /// How the hotel's messages leave (`--smtp-url`, `--mail-dir`), sent by a worker.
    pub mailer: Arc<crate::mail::Mailer>,
}

impl Shared {
    /// The host that names the events of the calendars the hotel publishes: the configured
    /// site's, never a request's `Host`.
    pub fn calendar_host(&self) -> String {
        url::Url::parse(&self.public_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "hotel.invalid".into())
    }
}

impl Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// Now, for a cancellation's fee.
    pub fn cancel_time(&self, waive_fee: bool) -> crate::domain::bookings::CancelTime {
        crate::domain::bookings::CancelTime {
            today: self.clock.today(),
            now: jiff::Timestamp::now(),
            tz: self.clock.zone().clone(),
            waive_fee,
        }
    }

    pub async fn from_config(config: &Config) -> Result<AppState, String> {
        let store = config.open_store().await?;
        let clock = HotelClock::new(Some(store.timezone()))?;
        let auth = Auth::new(config.session_ttl())?;
        let backups = match &config.backup_dir {
            Some(dir) => Some(crate::backup::Schedule {
                database: crate::backup::sqlite_path(&config.database)?.to_string(),
                dir: dir.clone(),
                every: config.backup_every,
                keep: config.backup_keep as usize,
                command: config.backup_command.clone(),
                health: Default::default(),
            }),
            None => None,
        };
        let mailer = crate::mail::Mailer::new(&crate::mail::MailSettings {
            smtp_url: config.smtp_url.as_ref().map(|u| u.0.as_str()),
            mail_from: config.mail_from.as_deref(),
            mail_dir: config.mail_dir.as_deref(),
            public_url: &config.public_url(),
        })?;
        let state = AppState(Arc::new(Shared {
            store,
            auth,
            clock,
            rooms_cache: RoomsCache::default(),
            feed_cache: FeedCache::default(),
            web_app: WebApp::open(config.static_dir.as_deref(), config.api_only),
            body_limit: config.body_limit,
            request_timeout: config.request_timeout(),
            trusted_proxies: config.trusted_proxies.clone(),
            limits: crate::server::Limits {
                header_timeout: config.header_timeout(),
                stall_timeout: config.request_timeout() + config.header_timeout(),
                max_connections: match config.max_connections {
                    0 => crate::server::default_max_connections(),
                    n => n,
                },
                drain: config.request_timeout() + std::time::Duration::from_secs(5),
                body_limit: config.body_limit,
            },
            // Never below an ordinary body, or such a request could never be taken.
            body_memory: BodyMemory::new(config.body_memory_bytes().max(config.body_limit)),
            guest_limits: GuestLimits {
                room_nights_per_booking: config.max_room_nights_per_booking,
                open_room_nights: config.max_open_room_nights_per_guest,
            },
            signups_per_hour: config.signup_rate_limit,
            address_share: config.address_share,
            photo_storage: u64::from(config.max_photo_storage) << 20,
            bookings_per_minute: config.booking_rate_limit,
            backups,
            mailer: Arc::new(mailer),
            keep_id_documents_days: config.keep_id_documents_days,
            keep_messages_days: config.keep_messages_days,
            reminders: (config.reminder_days, config.reminder_time),
            public_url: config.public_url().trim_end_matches('/').to_string(),
            ical_sync: (
                config.ical_sync_minutes,
                Duration::from_secs(u64::from(config.ical_timeout_secs)),
            ),
            webhooks: (
                i64::from(config.webhook_retry_secs),
                Duration::from_secs(u64::from(config.webhook_timeout_secs)),
            ),
        }));
        Ok(state)
    }
}

/// The memory request bodies on their way in share, in bytes.
pub struct BodyMemory {
    free: Arc<tokio::sync::Semaphore>,
    total: usize,
}

impl BodyMemory {
    pub fn new(total: usize) -> BodyMemory {
        let total = total.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        BodyMemory {
            free: Arc::new(tokio::sync::Semaphore::new(total)),
            total,
        }
    }

    /// Sets `size` bytes aside until the permit is dropped; a body larger than the whole
    /// budget (a photo on a small budget) takes all of it. `None` when that much is not
    /// free now.
    pub fn reserve(&self, size: u64) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let size = usize::try_from(size).unwrap_or(usize::MAX).min(self.total);
        let size = u32::try_from(size).unwrap_or(u32::MAX);
        self.free.clone().try_acquire_many_owned(size).ok()
    }
}

/// One serialized answer, valid until the store's next change: `GET /rooms` for a night, the
/// staff's calendar feed for a day and host.
pub struct AnswerCache<K>(RwLock<Option<(u64, K, Bytes)>>);

impl<K> Default for AnswerCache<K> {
    fn default() -> Self {
        AnswerCache(RwLock::new(None))
    }
}

impl<K: PartialEq> AnswerCache<K> {
    pub fn get(&self, generation: u64, key: &K) -> Option<Bytes> {
        let slot = self.0.read().ok()?;
        match slot.as_ref() {
            Some((g, k, body)) if *g == generation && k == key => Some(body.clone()),
            _ => None,
        }
    }

    pub fn put(&self, generation: u64, key: K, body: Bytes) {
        if let Ok(mut slot) = self.0.write() {
            *slot = Some((generation, key, body));
        }
    }
}

pub type RoomsCache = AnswerCache<Date>;
/// The staff's feed: a year of a busy hotel is megabytes, fetched again by every calendar.
pub type FeedCache = AnswerCache<(Date, String)>;
