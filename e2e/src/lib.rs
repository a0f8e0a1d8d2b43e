//! What the browser tests stand on: the real server serving the built app on a random port
//! with a fresh database, and Chromium via chromedriver, driven with fantoccini.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hotel_backend::{AppState, Config};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

pub mod people;

pub type Result<T = ()> = std::result::Result<T, String>;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a test waits for the page to show something.
pub const PATIENCE: Duration = Duration::from_secs(15);

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Why the browser tests cannot run here, if they cannot: no built app, or no browser.
/// `cargo xtask test` builds and installs both and sets `HOTEL_E2E_REQUIRED`, so there a
/// missing piece fails the run instead of skipping it.
pub fn missing_prerequisite() -> Option<String> {
    let dist = dist_dir();
    let missing = if !dist.join("index.html").is_file() || !dist.join("desk/index.html").is_file() {
        Some(format!(
            "the web app (guest portal and front desk) is not built at {} (cargo xtask web builds it)",
            dist.display()
        ))
    } else if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        Some("chromium and chromedriver are not installed (cargo xtask setup installs them)".into())
    } else if !axe_script().is_file() {
        Some(format!(
            "axe-core is not installed at {} (cargo xtask setup installs it)",
            axe_script().display()
        ))
    } else {
        None
    };
    if let Some(reason) = &missing
        && std::env::var_os("HOTEL_E2E_REQUIRED").is_some()
    {
        panic!("browser tests required but {reason}");
    }
    missing
}

/// axe-core's script: `HOTEL_AXE_JS`, or where `cargo xtask setup` puts it.
pub fn axe_script() -> PathBuf {
    std::env::var_os("HOTEL_AXE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let home =
                std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
            home.join(".cache/hotel-tools/axe-core-4.14.1/node_modules/axe-core/axe.min.js")
        })
}

/// A screen a test looks through: a desktop window, or a phone's 390 × 844.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Desktop,
    Phone,
}

pub fn dist_dir() -> PathBuf {
    std::env::var_os("HOTEL_TEST_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("frontend/dist"))
}

/// Screenshots go under target/, kept as test artifacts.
pub fn artifact_dir() -> PathBuf {
    let dir = workspace_root().join("target/e2e-screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// The real server, serving the built app, on its own runtime thread.
pub struct Hotel {
    pub url: String,
    pub db: tempfile::TempDir,
    _server: std::thread::JoinHandle<()>,
}

pub fn start_hotel(rooms: u32) -> Hotel {
    start_hotel_with(rooms, |_| {})
}

/// `start_hotel` with settings of the test's own (a mail server).
pub fn start_hotel_with(rooms: u32, adjust: impl FnOnce(&mut Config)) -> Hotel {
    let db = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let mut config =
        Config::for_database(format!("sqlite://{}", db.path().join("hotel.db").display()));
    config.rooms = rooms;
    config.static_dir = Some(dist_dir());
    adjust(&mut config);
    let (tx, rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Runtime::new() else {
            return;
        };
        runtime.block_on(async move {
            let state = AppState::from_config(&config)
                .await
                .unwrap_or_else(|e| panic!("server state: {e}"));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .unwrap_or_else(|e| panic!("bind: {e}"));
            let _ = tx.send(listener.local_addr().ok());
            let _ = hotel_backend::serve(listener, state, std::future::pending()).await;
        });
    });
    let addr = rx
        .recv()
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("the server did not start"));
    Hotel {
        url: format!("http://{addr}"),
        db,
        _server: server,
    }
}

/// An HTTP client. The workspace builds reqwest with rustls but without a built-in crypto
/// provider (the terminal client installs ring itself), so the tests install it too.
pub fn http_client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::new()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9515)
}

/// One chromedriver process and one browser session in it, driven with fantoccini. The
/// helpers wait for the page (it renders after its requests answer) and say which browser
/// and what was awaited when they give up.
pub struct Browser {
    driver: Child,
    client: Client,
    pub name: String,
}

fn failed(what: &str) -> impl Fn(fantoccini::error::CmdError) -> String + '_ {
    move |e| format!("webdriver {what}: {e}")
}

impl Browser {
    /// A desktop browser that prefers English.
    pub async fn start(name: &str) -> Result<Browser> {
        Browser::start_as(name, Screen::Desktop, "en-GB").await
    }

    /// A browser with `screen`'s size (a phone also has its touch-sized viewport) whose
    /// preferred language is `language` (`de-DE`).
    pub async fn start_as(name: &str, screen: Screen, language: &str) -> Result<Browser> {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let mut options = json!({
            "binary": CHROMIUM,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--window-size=1200,1000",
                     format!("--lang={language}")],
            "prefs": {"intl.accept_languages": language}
        });
        if screen == Screen::Phone {
            options["mobileEmulation"] = json!({
                "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 3.0, "touch": true}
            });
        }
        let capabilities = json!({"browserName": "chrome", "goog:chromeOptions": options});
        let Value::Object(capabilities) = capabilities else {
            return Err("capabilities must be an object".into());
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        // chromedriver takes a moment to listen; until then the connection is refused.
        let client = loop {
            let attempt = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            match attempt {
                Ok(client) => break client,
                Err(e) if started.elapsed() > PATIENCE => {
                    return Err(format!("chromedriver did not start a browser: {e}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        Ok(Browser {
            driver,
            client,
            name: name.to_string(),
        })
    }

    pub async fn goto(&self, url: &str) -> Result {
        self.client.goto(url).await.map_err(failed("goto"))
    }

    pub async fn refresh(&self) -> Result {
        self.client.refresh().await.map_err(failed("refresh"))
    }

    /// Runs JavaScript in the page and returns what it returns.
    pub async fn script(&self, script: &str, args: Value) -> Result<Value> {
        let args = match args {
            Value::Array(args) => args,
            other => vec![other],
        };
        self.client
            .execute(script, args)
            .await
            .map_err(failed("script"))
    }

    /// Waits until `css` matches an element whose text contains `text`; returns that text.
    pub async fn wait_text(&self, css: &str, text: &str) -> Result<String> {
        let started = Instant::now();
        loop {
            let found = self
                .script(
                    "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText).join('\\n')",
                    json!([css]),
                )
                .await?;
            let last = found.as_str().unwrap_or_default().to_string();
            if last.contains(text) {
                return Ok(last);
            }
            if started.elapsed() > PATIENCE {
                return Err(format!(
                    "{}: waited for {text:?} in {css}, last saw {last:?}",
                    self.name
                ));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `css` matches something enabled, then clicks it.
    pub async fn click(&self, css: &str) -> Result {
        let started = Instant::now();
        loop {
            // The page may draw the element again between finding and clicking it (a list
            // reloading after a change): a stale element is looked up afresh, until patience
            // runs out.
            let mut last_error = None;
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(true) = element.is_enabled().await
            {
                match element.click().await {
                    Ok(_) => return Ok(()),
                    Err(e) => last_error = Some(e.to_string()),
                }
            }
            if started.elapsed() > PATIENCE {
                return Err(match last_error {
                    Some(e) => format!("{}: click at {css}: {e}", self.name),
                    None => format!("{}: nothing clickable at {css}", self.name),
                });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Types into a field, replacing what was there.
    pub async fn type_into(&self, css: &str, text: &str) -> Result {
        let element = self.present(css).await?;
        element.clear().await.map_err(failed("clear"))?;
        element.send_keys(text).await.map_err(failed("send keys"))
    }

    /// Sets a date or select field the way a picker does: value, then a change event.
    pub async fn choose(&self, css: &str, value: &str) -> Result {
        self.wait_present(css).await?;
        self.script(
            "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('change', {bubbles: true}));",
            json!([css, value]),
        )
        .await
        .map(|_| ())
    }

    async fn present(&self, css: &str) -> Result<Element> {
        let started = Instant::now();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                return Ok(element);
            }
            if started.elapsed() > PATIENCE {
                return Err(format!("{}: {css} never appeared", self.name));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn wait_present(&self, css: &str) -> Result {
        self.present(css).await.map(|_| ())
    }

    /// Waits until `condition` (JavaScript, returning a boolean) holds.
    pub async fn wait_until(&self, what: &str, condition: &str, args: Value) -> Result {
        let started = Instant::now();
        loop {
            if self.script(condition, args.clone()).await? == json!(true) {
                return Ok(());
            }
            if started.elapsed() > PATIENCE {
                return Err(format!("{}: waited in vain for {what}", self.name));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn path(&self) -> Result<String> {
        let value = self.script("return location.pathname", json!([])).await?;
        Ok(value.as_str().unwrap_or_default().to_string())
    }

    /// The value of the HttpOnly session cookie, which page scripts cannot see.
    pub async fn session_cookie(&self) -> Result<Option<String>> {
        let cookies = self
            .client
            .get_all_cookies()
            .await
            .map_err(failed("cookies"))?;
        Ok(cookies
            .iter()
            .find(|c| c.name() == "hotel_session")
            .map(|c| c.value().to_string()))
    }

    /// Drops every cookie of the site, as signing out in another tab or clearing them does.
    pub async fn forget_cookies(&self) -> Result {
        self.client
            .delete_all_cookies()
            .await
            .map_err(failed("delete cookies"))
    }

    /// Saves a PNG of the page under target/e2e-screenshots/.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = self
            .client
            .screenshot()
            .await
            .map_err(failed("screenshot"))?;
        let path = artifact_dir().join(format!("{name}.png"));
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Marks the first element matching `css` whose text (or `aria-label`) is `name`, and
    /// returns a selector for it: how a person finds a button or a link, by what it says.
    async fn named(&self, css: &str, name: &str) -> Result<String> {
        let started = Instant::now();
        loop {
            let found = self
                .script(
                    "document.querySelectorAll('[data-e2e]').forEach(e => e.removeAttribute('data-e2e'));
                     const hit = Array.from(document.querySelectorAll(arguments[0])).find(e =>
                        e.innerText.trim() === arguments[1] || e.getAttribute('aria-label') === arguments[1]);
                     if (hit) { hit.setAttribute('data-e2e', '1'); }
                     return !!hit;",
                    json!([css, name]),
                )
                .await?;
            if found == json!(true) {
                return Ok("[data-e2e]".into());
            }
            if started.elapsed() > PATIENCE {
                return Err(format!("{}: no {css} named {name:?}", self.name));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the button or link that says `name`.
    pub async fn click_named(&self, name: &str) -> Result {
        let css = self.named("button, a", name).await?;
        self.click(&css).await
    }

    /// The field labelled `label`, as a selector.
    async fn labelled(&self, label: &str) -> Result<String> {
        let started = Instant::now();
        loop {
            let found = self
                .script(
                    "document.querySelectorAll('[data-e2e-field]').forEach(e => e.removeAttribute('data-e2e-field'));
                     const l = Array.from(document.querySelectorAll('label')).find(l => l.innerText.trim() === arguments[0]);
                     const field = l && (l.control || document.getElementById(l.htmlFor));
                     if (field) { field.setAttribute('data-e2e-field', '1'); }
                     return !!field;",
                    json!([label]),
                )
                .await?;
            if found == json!(true) {
                return Ok("[data-e2e-field]".into());
            }
            if started.elapsed() > PATIENCE {
                return Err(format!("{}: no field labelled {label:?}", self.name));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Chooses the file at `path` in a file field, as a person picking it would.
    pub async fn attach(&self, css: &str, path: &Path) -> Result {
        let element = self.present(css).await?;
        element
            .send_keys(&path.display().to_string())
            .await
            .map_err(failed("attach"))
    }

    /// Gives `css` keyboard focus and presses Enter on it, as a keyboard user would.
    pub async fn focus_and_enter(&self, css: &str) -> Result {
        self.script("document.querySelector(arguments[0]).focus()", json!([css]))
            .await?;
        let element = self.present(css).await?;
        element.send_keys("\u{E007}").await.map_err(failed("enter"))
    }

    /// Types into the field labelled `label`.
    pub async fn fill(&self, label: &str, text: &str) -> Result {
        let css = self.labelled(label).await?;
        self.type_into(&css, text).await
    }

    /// Picks `value` in the date or select field labelled `label`.
    pub async fn pick(&self, label: &str, value: &str) -> Result {
        let css = self.labelled(label).await?;
        self.choose(&css, value).await
    }

    /// Runs axe-core on the page as it is now: the serious and critical violations, each as
    /// "rule: what it says (where)"; an empty list when there are none.
    pub async fn accessibility_problems(&self) -> Result<Vec<String>> {
        let source = std::fs::read_to_string(axe_script())
            .map_err(|e| format!("{}: {e}", axe_script().display()))?;
        self.script(&format!("{source};\nreturn true;"), json!([]))
            .await?;
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document).then(r => done(r.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')))
                   .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .map_err(failed("axe"))?;
        Ok(serde_json::from_value(found).unwrap_or_default())
    }

    /// Fails unless axe-core finds nothing serious or critical on the page; `page` names it.
    pub async fn assert_accessible(&self, page: &str) -> Result {
        let problems = self.accessibility_problems().await?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{}: {page}: {}", self.name, problems.join("; ")))
        }
    }

    /// Fails when the page is wider than the window (sideways scrolling on a phone).
    pub async fn assert_fits_width(&self, page: &str) -> Result {
        let widths = self
            .script(
                "return [document.documentElement.scrollWidth, window.innerWidth]",
                json!([]),
            )
            .await?;
        let (content, window) = (widths[0].as_i64(), widths[1].as_i64());
        if content > window {
            return Err(format!(
                "{}: {page} is {content:?} px wide in a {window:?} px window",
                self.name
            ));
        }
        Ok(())
    }

    /// Fails unless `css` is on screen without scrolling.
    pub async fn assert_on_screen(&self, css: &str) -> Result {
        self.wait_present(css).await?;
        let visible = self
            .script(
                "const r = document.querySelector(arguments[0]).getBoundingClientRect(); \
                 return r.top >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;",
                json!([css]),
            )
            .await?;
        if visible == json!(true) {
            Ok(())
        } else {
            Err(format!(
                "{}: {css} is not on screen without scrolling",
                self.name
            ))
        }
    }

    /// The element that has keyboard focus, as `tag#id` or `tag` and its text.
    pub async fn focused(&self) -> Result<String> {
        let v = self
            .script(
                "const e = document.activeElement; return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + e.innerText",
                json!([]),
            )
            .await?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Address of a running server, for tests that also talk to the API directly.
pub fn api(url: &str, path: &str) -> String {
    format!("{url}{path}")
}
