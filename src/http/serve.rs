//! Binding, signals and graceful shutdown.

use super::{router, AppState, Config, ServeArgs};
use crate::Paths;

/// Waits for Ctrl-C or SIGTERM. The SIGTERM handler is installed by the caller before
/// the server announces itself, so a signal can never hit the default action (exit).
async fn shutdown_signal(#[cfg(unix)] mut term: tokio::signal::unix::Signal) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async move {
        term.recv().await;
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Reloads content on SIGHUP, like `POST /admin/reload`. The handler is already
/// installed when this is called (see [`serve`]).
#[cfg(unix)]
fn reload_on_sighup(state: AppState, mut hup: tokio::signal::unix::Signal) {
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            if let Err(e) = state.reload().await {
                tracing::warn!(error = ?e, "SIGHUP reload failed; the previous index keeps serving");
            }
        }
    });
}

/// Connections the probe listener keeps open at once: an orchestrator's few.
const PROBE_CONNECTIONS: usize = 64;

/// Loads the engine, binds, and serves until SIGTERM or Ctrl-C.
pub async fn serve(paths: Paths, args: ServeArgs) -> anyhow::Result<()> {
    let config = Config::resolve(&args)?;
    let p = paths.clone();
    let engine = tokio::task::spawn_blocking(move || crate::load_engine(&p)).await??;
    tracing::info!(records = engine.index.num_docs(), "index ready");
    let addr = config.addr;
    let insights = match &config.insights_dir {
        Some(dir) => Some(
            crate::insights::Store::open(dir, config.insights_days)
                .map_err(|e| anyhow::anyhow!("opening the insights store {}: {e}", dir.display()))?,
        ),
        None => None,
    };
    let mut state = AppState::new(engine, paths, config);
    if let Some(store) = insights {
        state = state.with_insights(store);
    }
    #[cfg(unix)]
    let term = {
        use tokio::signal::unix::{signal, SignalKind};
        reload_on_sighup(state.clone(), signal(SignalKind::hangup())?);
        signal(SignalKind::terminate())?
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("binding {addr}: {e}"))?;
    let (stop_probes, probes_stopped) = tokio::sync::watch::channel(false);
    if let Some(probe_addr) = state.config.probe_addr {
        let probes = tokio::net::TcpListener::bind(probe_addr)
            .await
            .map_err(|e| anyhow::anyhow!("binding the probe address {probe_addr}: {e}"))?;
        // Before "listening on": scripts read up to that line and may close the pipe.
        println!("probes on http://{}", probes.local_addr()?);
        let (st, mut stopped) = (state.clone(), probes_stopped);
        tokio::spawn(async move {
            let gate = crate::app::limits::ConnGate::new(PROBE_CONNECTIONS, PROBE_CONNECTIONS);
            let stop = async move {
                let _ = stopped.wait_for(|s| *s).await;
            };
            super::conn::serve_connections(probes, super::probe_router(st.clone()), st, gate, stop).await;
        });
    }
    // Printed on stdout so scripts and tests can find a port chosen by the OS (`:0`).
    println!("listening on http://{}", listener.local_addr()?);
    let app = router(state.clone());
    let gate = state.limits.conns.clone();
    super::conn::serve_connections(
        listener,
        app,
        state,
        gate,
        shutdown_signal(
            #[cfg(unix)]
            term,
        ),
    )
    .await;
    let _ = stop_probes.send(true);
    Ok(())
}

