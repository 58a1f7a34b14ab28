//! Alert delivery off the watch loop: a bounded queue and one task that sends.
//!
//! A webhook that hangs or fails costs its timeouts and retries (tens of seconds an alert). Were
//! the watch to await each delivery, a bad webhook would stretch every interval and, with several
//! accounts, hold back every account's checks; Ctrl-C would wait for it too. So the loop only
//! queues, and a task of its own delivers. The queue is bounded: when it is full the oldest alert
//! gives way to the newest (the latest state matters most), with a WARN line and a count.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tencentcloud_billing::monitor::{AlertSink, Event};
use tokio::sync::Notify;

use crate::error::chain_text;

/// How many alerts wait for delivery before the oldest is dropped.
pub const CAPACITY: usize = 64;

/// One alert for one sink.
type Alert = (Arc<dyn AlertSink>, Event);

/// Push `item` onto `queue` of at most `capacity` items; returns the oldest item when it had to
/// give way.
pub fn push_bounded<T>(queue: &mut VecDeque<T>, capacity: usize, item: T) -> Option<T> {
    let dropped = if queue.len() >= capacity.max(1) { queue.pop_front() } else { None };
    queue.push_back(item);
    dropped
}

struct Shared {
    queue: Mutex<VecDeque<Alert>>,
    wake: Notify,
    /// Alerts taken from the queue and not yet delivered (or failed).
    sending: AtomicU64,
    dropped: AtomicU64,
}

/// The queue and its delivering task.
pub struct AlertQueue {
    shared: Arc<Shared>,
    worker: tokio::task::JoinHandle<()>,
    capacity: usize,
}

impl AlertQueue {
    /// A queue of `capacity` alerts, delivered in order by a task spawned now.
    pub fn new(capacity: usize) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::new(VecDeque::new()),
            wake: Notify::new(),
            sending: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
        });
        let worker = tokio::spawn(deliver_all(Arc::clone(&shared)));
        AlertQueue { shared, worker, capacity }
    }

    /// Queue `event` for `sink`; never waits.
    pub fn push(&self, sink: Arc<dyn AlertSink>, event: Event) {
        let dropped = push_bounded(&mut lock(&self.shared.queue), self.capacity, (sink, event));
        if let Some((_, old)) = dropped {
            let n = self.shared.dropped.fetch_add(1, Ordering::Relaxed) + 1;
            eprintln!("tcbill: WARN webhook: the alert queue is full; dropped the oldest ({}), {n} so far", old.name());
        }
        self.shared.wake.notify_one();
    }

    /// How many alerts were dropped because the queue was full.
    pub fn dropped(&self) -> u64 {
        self.shared.dropped.load(Ordering::Relaxed)
    }

    /// Stop delivering at once; returns how many alerts were not delivered (queued, or being
    /// sent when stopped).
    pub fn stop(self) -> u64 {
        self.worker.abort();
        lock(&self.shared.queue).len() as u64 + self.shared.sending.load(Ordering::Relaxed)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn deliver_all(shared: Arc<Shared>) {
    loop {
        let next = {
            let mut q = lock(&shared.queue);
            let next = q.pop_front();
            if next.is_some() {
                shared.sending.store(1, Ordering::Relaxed);
            }
            next
        };
        let Some((sink, event)) = next else {
            shared.wake.notified().await;
            continue;
        };
        if let Err(e) = sink.send(&event).await {
            eprintln!("tcbill: webhook: {}", chain_text(&e));
        }
        shared.sending.store(0, Ordering::Relaxed);
    }
}

/// Say how many alerts a stopped queue left undelivered, if any.
pub fn report_stopped(queue: AlertQueue) {
    let dropped = queue.dropped();
    let left = queue.stop();
    if left > 0 || dropped > 0 {
        eprintln!(
            "tcbill: {left} alerts were not delivered when the watch stopped; {dropped} were dropped on a full queue"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_the_oldest() {
        let mut q = VecDeque::new();
        assert_eq!(push_bounded(&mut q, 2, 1), None);
        assert_eq!(push_bounded(&mut q, 2, 2), None);
        assert_eq!(push_bounded(&mut q, 2, 3), Some(1));
        assert_eq!(q, [2, 3]);
        assert_eq!(push_bounded(&mut q, 2, 4), Some(2));
        assert_eq!(q, [3, 4]);
    }
}
