//! A throwaway PostgreSQL database for a benchmark run.

pub async fn connect(url: &str) -> Result<tokio_postgres::Client, String> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|e| format!("cannot connect to {url}: {e}"))?;
    tokio::spawn(connection);
    Ok(client)
}

pub struct FreshDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl FreshDatabase {
    /// Creates database `name` on the server `admin_url` points at.
    pub async fn create(admin_url: &str, name: &str) -> Result<FreshDatabase, String> {
        let admin = connect(admin_url).await?;
        // Separate statements: CREATE DATABASE refuses to run inside a transaction block.
        for sql in [
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {name}"),
        ] {
            admin.batch_execute(&sql).await.map_err(|e| {
                let detail = e
                    .as_db_error()
                    .map_or(e.to_string(), |d| d.message().to_string());
                format!("cannot create database {name}: {detail}")
            })?;
        }
        let (base, _) = admin_url
            .rsplit_once('/')
            .ok_or("a PostgreSQL URL ends in /DATABASE")?;
        Ok(FreshDatabase {
            admin_url: admin_url.to_string(),
            name: name.to_string(),
            url: format!("{base}/{name}"),
        })
    }

    pub async fn drop_database(self) {
        if let Ok(admin) = connect(&self.admin_url).await {
            let _ = admin
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .await;
        }
    }
}
