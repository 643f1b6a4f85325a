//! `avm-tests`: shared helpers for the integration test suites.
