//! Integration tests, compiled into one binary: the real `tsunagu` CLI and server over
//! HTTP, on the bundled content and on the small fixture corpus.
mod answer;
mod cli;
mod content;
mod danger;
mod hardening;
mod helpers;
mod http;
mod issue22;
mod line;
mod municipality;
mod props;
mod readings;
mod seeds;
mod truth;
mod web;
