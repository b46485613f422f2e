//! Streams of pages and of items for `@paginated` operations.
//!
//! A page stream sends the first request, reads the continuation token from
//! each output, and sends the next request with it; it ends when the token is
//! absent or empty, or when the service repeats the token it was just sent
//! (which would otherwise loop forever). The first error ends the stream.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

/// How a paginated operation reads and writes its token.
pub struct TokenAccess<I, O> {
    /// Puts the token into the next input.
    pub set: fn(&mut I, Option<String>),
    /// Reads the token from an output.
    pub get: fn(&O) -> Option<&str>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// The pages of a paginated operation.
pub struct PageStream<I, O, E> {
    next_input: Option<I>,
    in_flight: Option<BoxFuture<Result<O, E>>>,
    send: Box<dyn FnMut(I) -> BoxFuture<Result<O, E>> + Send>,
    token: TokenAccess<I, O>,
    sent_token: Option<String>,
}

impl<I: Clone + Send + 'static, O: Send + 'static, E: Send + 'static> PageStream<I, O, E> {
    /// A stream that sends `input`, then follows the tokens.
    pub fn new<F, Fut>(input: I, token: TokenAccess<I, O>, mut send: F) -> Self
    where
        F: FnMut(I) -> Fut + Send + 'static,
        Fut: Future<Output = Result<O, E>> + Send + 'static,
    {
        Self {
            next_input: Some(input),
            in_flight: None,
            send: Box::new(move |i| Box::pin(send(i))),
            token,
            sent_token: None,
        }
    }

    /// The items of every page, in order.
    pub fn items<T>(self, items: fn(O) -> Vec<T>) -> ItemStream<I, O, E, T> {
        ItemStream {
            pages: self,
            items,
            buffer: VecDeque::new(),
        }
    }
}

// No field is ever pinned in place: the in-flight future is boxed.
impl<I, O, E> Unpin for PageStream<I, O, E> {}

impl<I: Clone, O, E> Stream for PageStream<I, O, E> {
    type Item = Result<O, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // All fields are Unpin (boxed futures), so the stream is too.
        let this = self.get_mut();
        if this.in_flight.is_none() {
            let Some(input) = this.next_input.take() else {
                return Poll::Ready(None);
            };
            this.in_flight = Some((this.send)(input.clone()));
            this.next_input = Some(input);
        }
        let Some(fut) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        match fut.as_mut().poll(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(result) => {
                this.in_flight = None;
                match result {
                    Err(e) => {
                        this.next_input = None;
                        Poll::Ready(Some(Err(e)))
                    }
                    Ok(output) => {
                        let next = (this.token.get)(&output)
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned);
                        match next {
                            Some(t) if this.sent_token.as_deref() != Some(t.as_str()) => {
                                if let Some(input) = this.next_input.as_mut() {
                                    (this.token.set)(input, Some(t.clone()));
                                }
                                this.sent_token = Some(t);
                            }
                            _ => this.next_input = None,
                        }
                        Poll::Ready(Some(Ok(output)))
                    }
                }
            }
        }
    }
}

/// The items of a paginated operation, page after page.
pub struct ItemStream<I, O, E, T> {
    pages: PageStream<I, O, E>,
    items: fn(O) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<I, O, E, T> Unpin for ItemStream<I, O, E, T> {}

impl<I: Clone, O, E, T> Stream for ItemStream<I, O, E, T> {
    type Item = Result<T, E>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend((this.items)(page)),
            }
        }
    }
}

/// Polls a stream to the next item (a small `StreamExt::next`).
pub async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Collects a whole stream.
pub async fn collect<S: Stream + Unpin>(mut stream: S) -> Vec<S::Item> {
    let mut out = Vec::new();
    while let Some(item) = next(&mut stream).await {
        out.push(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Debug, Default)]
    struct In {
        token: Option<String>,
    }
    #[derive(Debug)]
    struct Out {
        token: Option<String>,
        items: Vec<u32>,
    }

    fn block_on<F: Future>(fut: F) -> F::Output {
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut fut = std::pin::pin!(fut);
        loop {
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    type SentTokens = Arc<Mutex<Vec<Option<String>>>>;

    fn stream(
        pages: Vec<(Option<&'static str>, Vec<u32>)>,
    ) -> (PageStream<In, Out, String>, SentTokens) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let pages = Arc::new(Mutex::new(VecDeque::from(pages)));
        let s = PageStream::new(
            In::default(),
            TokenAccess {
                set: |i: &mut In, t| i.token = t,
                get: |o: &Out| o.token.as_deref(),
            },
            move |input: In| {
                log.lock().unwrap().push(input.token.clone());
                let page = pages.lock().unwrap().pop_front();
                async move {
                    match page {
                        Some((t, items)) => Ok(Out {
                            token: t.map(str::to_owned),
                            items,
                        }),
                        None => Err("no more pages".to_owned()),
                    }
                }
            },
        );
        (s, seen)
    }

    #[test]
    fn follows_tokens_until_absent() {
        let (s, seen) = stream(vec![
            (Some("a"), vec![1, 2]),
            (Some("b"), vec![3]),
            (None, vec![4]),
        ]);
        let items: Vec<u32> = block_on(collect(s.items(|o| o.items)))
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(
            *seen.lock().unwrap(),
            [None, Some("a".into()), Some("b".into())]
        );
    }

    #[test]
    fn stops_when_the_token_repeats() {
        let (s, seen) = stream(vec![
            (Some("a"), vec![1]),
            (Some("a"), vec![2]),
            (Some("c"), vec![9]),
        ]);
        let pages = block_on(collect(s));
        assert_eq!(pages.len(), 2);
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    #[test]
    fn an_error_ends_the_stream() {
        let (s, _) = stream(vec![(Some("a"), vec![1])]);
        let pages = block_on(collect(s));
        assert_eq!(pages.len(), 2);
        assert!(pages[1].is_err());
    }
}
