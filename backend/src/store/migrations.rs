//! The schema of both engines, embedded in the binary. Each migration is named once here and
//! has one file per engine (a comment alone where an engine has nothing to do), so the
//! numbering cannot drift apart: a file missing in either folder fails the build.

macro_rules! migrations {
    ($($name:literal),* $(,)?) => {
        /// File names, in the order they run.
        #[cfg(test)]
        pub const NAMES: &[&str] = &[$($name),*];
        pub const SQLITE: &[&str] =
            &[$(include_str!(concat!("../../migrations/sqlite/", $name))),*];
        pub const POSTGRES: &[&str] =
            &[$(include_str!(concat!("../../migrations/postgres/", $name))),*];
    };
}

migrations!(
    "0001_init.sql",
    "0002_login_failures.sql",
    "0003_rooms_rates_staff.sql",
    "0004_active_bookings.sql",
    "0005_rate_counters.sql",
    "0006_guest_site.sql",
    "0007_housekeeping.sql",
    "0008_folio.sql",
    "0009_no_show.sql",
    "0010_guest_profiles.sql",
    "0011_in_house_index.sql",
    "0012_rates.sql",
    "0013_night_rooms.sql",
    "0014_drop_night_index.sql",
    "0015_lighter_writes.sql",
    "0016_sessions_by_account.sql",
    "0017_events.sql",
    "0018_privacy.sql",
    "0019_language.sql",
    "0020_messages.sql",
    "0021_password_resets.sql",
    "0022_reminders.sql",
    "0023_email_verification.sql",
    "0024_idempotency.sql",
    "0025_ical.sql",
    "0026_api_keys.sql",
    "0027_booking_changes.sql",
    "0028_webhooks.sql",
    "0029_tax_rates.sql",
    "0030_invoice_parties.sql",
    "0031_revenue_categories.sql",
    "0032_cancellation_invoices.sql",
    "0033_rate_plan_includes.sql",
    "0034_posting_words.sql",
);

/// A database migrated by a newer `hotel-server` than this one (an upgrade undone by putting
/// the old binary back) is refused: this binary would not know its tables.
pub fn refuse_newer(found: i64, known: usize) -> Result<(), String> {
    if found <= known as i64 {
        return Ok(());
    }
    Err(format!(
        "this database was set up by a newer hotel-server (its schema is version {found}; this \
         binary knows versions up to {known}). Run that newer hotel-server, or put back a \
         backup taken before the upgrade."
    ))
}

#[cfg(test)]
mod tests {
    use super::NAMES;

    fn files(engine: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(engine);
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_newer_schema_is_refused_and_an_older_one_is_not() {
        assert!(super::refuse_newer(13, 13).is_ok());
        assert!(super::refuse_newer(2, 13).is_ok());
        let refused = super::refuse_newer(14, 13);
        assert!(
            refused.is_err_and(|e| e.contains("newer hotel-server")),
            "a newer schema was accepted"
        );
    }

    #[test]
    fn both_engines_have_the_same_numbered_migrations_and_all_are_embedded() {
        let sqlite = files("sqlite");
        assert_eq!(sqlite, files("postgres"), "the two folders differ");
        assert_eq!(
            sqlite, NAMES,
            "a migration file is not embedded, or is out of order"
        );
        for (i, name) in NAMES.iter().enumerate() {
            assert!(
                name.starts_with(&format!("{:04}_", i + 1)),
                "{name} is not number {}",
                i + 1
            );
        }
    }
}
