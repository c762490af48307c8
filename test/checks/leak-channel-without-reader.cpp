// REQUIRES: boost-fiber
// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-channel-without-reader.ReportEscapingChannels: 'true'}}" --prefixes=,ESC %s leak-channel-without-reader -- -std=c++17
// RUN: %check_leak --config="{CheckOptions: {leak-channel-without-reader.CapacitySemantics: '+boost::fibers::buffered_channel=arg'}}" --prefixes=CAP %s leak-channel-without-reader -- -std=c++17 -DONLY_CAPACITY
// RUN: %check_leak --allow-errors --allow-extra-notes %s leak-channel-without-reader -- -std=c++17 -DBROKEN

// Boost.Fiber channels, the real headers. std::thread, std::async and fibers
// start the senders.
#include <boost/fiber/all.hpp>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

std::string query(int server);
bool matches(int v);
void consume(buffered_channel<int> &ch); // defined in another file

#ifndef ONLY_CAPACITY
//===-- Form 1: fan-out, read fewer ---------------------------------------===//

// Seed 002 (multiQuery) with an unbuffered channel: three senders, one read.
std::string multiQuery() {
  auto res = std::make_shared<unbuffered_channel<std::string>>(); // WARN: 3 senders send 3 values to channel 'res' but only 1 is received before returning and it buffers 0: 2 senders block forever NOTE: close 'res' before returning
  for (int i = 0; i < 3; ++i)
    std::thread([res, i] { res->push(query(i)); }).detach(); // NOTE: 3 senders started here
  std::string r;
  res->pop(r);
  return r; // NOTE: returns here after receiving 1 value
}

// Straight-line starts, fibers, a channel by value.
int threeFibers() {
  unbuffered_channel<int> ch; // WARN: 3 senders send 3 values to channel 'ch' but only 1 is received {{.*}}: 2 senders block forever NOTE: close 'ch'
  boost::fibers::fiber([&ch] { ch.push(1); }).detach(); // NOTE: 1 sender started here
  boost::fibers::fiber([&ch] { ch.push(2); }).detach(); // NOTE: 1 sender started here
  boost::fibers::fiber([&ch] { ch.push(3); }).detach(); // NOTE: 1 sender started here
  int v = ch.value_pop();
  return v; // NOTE: returns here after receiving 1 value
}

// buffered_channel(cap) holds cap - 1: 8 holds 7, with 9 senders and one
// read, one sender blocks (and the join waits for it forever).
std::string bufferedTooSmall() {
  buffered_channel<std::string> ch(8); // WARN: 9 senders send 9 values to channel 'ch' but only 1 is received before returning and it buffers 7: 1 sender blocks forever NOTE: close 'ch'
  std::vector<std::thread> ts;
  for (int i = 0; i < 9; ++i)
    ts.emplace_back([&ch, i] { ch.push(query(i)); }); // NOTE: 9 senders started here
  std::string r = ch.value_pop();
  for (auto &t : ts)
    t.join();
  return r; // NOTE: returns here after receiving 1 value
}

// Each sender sends twice (a constant loop inside the sender).
void twoEach() {
  auto ch = std::make_shared<buffered_channel<int>>(2); // WARN: 2 senders send 4 values to channel 'ch' but only 2 are received before returning and it buffers 1: 1 sends never complete NOTE: close 'ch'
  for (int i = 0; i < 2; ++i) // NOTE@+1: 2 senders started here
    std::thread([ch] { for (int k = 0; k < 2; ++k) ch->push(k); }).detach();
  ch->value_pop();
  ch->value_pop();
} // NOTE: the function ends here after receiving 2 values

// std::async senders; the early return reads fewer than the normal path.
int earlyReturn(bool quick) {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: 2 senders send 2 values to channel 'ch' but only 1 is received {{.*}}: 1 sender blocks forever NOTE: close 'ch'
  auto a = std::async(std::launch::async, [ch] { ch->push(1); }); // NOTE: 1 sender started here
  auto b = std::async(std::launch::async, [ch] { ch->push(2); }); // NOTE: 1 sender started here
  int first = ch->value_pop();
  if (quick)
    return first; // NOTE: returns here after receiving 1 value
  return first + ch->value_pop();
}

// A receive under a condition is not sure to happen.
int conditionalReceive(bool both) {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: 2 senders send 2 values {{.*}} only 1 is received NOTE: close 'ch'
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] { ch->push(i); }).detach(); // NOTE: 2 senders started here
  int v = ch->value_pop();
  if (both)
    v += ch->value_pop();
  return v; // NOTE: returns here after receiving 1 value
}

// Closed on one path only.
int closedOnOnePath(bool done) {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: 2 senders send 2 values NOTE: close 'ch'
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] { ch->push(i); }).detach(); // NOTE: 2 senders started here
  int v = ch->value_pop();
  if (done) {
    ch->close();
    return v;
  }
  return -v; // NOTE: returns here after receiving 1 value
}

// A template, as written.
template <class T> T firstOf() {
  auto ch = std::make_shared<unbuffered_channel<T>>(); // WARN: 2 senders send 2 values NOTE: close 'ch'
  for (int i = 0; i < 2; ++i)
    std::thread([ch] { ch->push(T()); }).detach(); // NOTE: 2 senders started here
  return ch->value_pop(); // NOTE: returns here after receiving 1 value
}
int useFirstOf() { return firstOf<int>(); }

// Starts from a macro.
#define GO(body) std::thread(body).detach()
int viaMacro() {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: 2 senders send 2 values NOTE: close 'ch'
  GO([ch] { ch->push(1); }); // NOTE: 1 sender started here
  GO([ch] { ch->push(2); }); // NOTE: 1 sender started here
  return ch->value_pop(); // NOTE: returns here after receiving 1 value
}

//===-- Form 1: must stay silent ------------------------------------------===//

// Capacity for every sender: buffered_channel(4) holds 3.
std::string roomForAll() {
  buffered_channel<std::string> ch(4);
  std::vector<std::thread> ts;
  for (int i = 0; i < 3; ++i)
    ts.emplace_back([&ch, i] { ch.push(query(i)); });
  std::string r = ch.value_pop();
  for (auto &t : ts)
    t.join();
  return r;
}

// All values drained.
int drainAll() {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  for (int i = 0; i < 3; ++i)
    std::thread([ch, i] { ch->push(i); }).detach();
  int sum = 0;
  for (int i = 0; i < 3; ++i)
    sum += ch->value_pop();
  return sum;
}

// Closed on every return path: the senders fail instead of blocking.
std::string closedEverywhere(bool fast) {
  auto ch = std::make_shared<unbuffered_channel<std::string>>();
  for (int i = 0; i < 3; ++i)
    std::thread([ch, i] { ch->push(query(i)); }).detach();
  std::string r = ch->value_pop();
  if (fast) {
    ch->close();
    return r;
  }
  ch->close();
  return r + "!";
}

// Senders that check the send status and give up on `closed`, and a reader
// that closes (without the close they block: -producers.cpp).
std::string statusChecked() {
  auto ch = std::make_shared<unbuffered_channel<std::string>>();
  for (int i = 0; i < 3; ++i)
    std::thread([ch, i] {
      if (ch->push(query(i)) == channel_op_status::closed)
        return;
    }).detach();
  std::string r = ch->value_pop();
  ch->close();
  return r;
}

// A receive loop we cannot count: stay silent.
int readsUntilCount(int n) {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  for (int i = 0; i < 3; ++i)
    std::thread([ch, i] { ch->push(i); }).detach();
  int got = 0, sum = 0;
  while (got < n) {
    sum += ch->value_pop();
    ++got;
  }
  return sum;
}

// Drained with range-for until closed elsewhere.
int rangeForDrain() {
  auto ch = std::make_shared<buffered_channel<int>>(2);
  std::thread([ch] {
    for (int i = 0; i < 3; ++i)
      ch->push(i);
    ch->close();
  }).detach();
  int sum = 0;
  for (int v : *ch)
    sum += v;
  return sum;
}

// A number of senders known only at run time, one read: every sender past
// the first blocks (see leak-channel-without-reader-runtime.cpp).
int unknownSenders(int n) {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: senders started once per iteration of a loop send to channel 'ch' but only 1 value is received before returning and it buffers 0: every sender past the first 1 blocks forever NOTE: close 'ch'
  for (int i = 0; i < n; ++i)
    std::thread([ch, i] { ch->push(i); }).detach(); // NOTE: senders started here, once per iteration up to 'n'
  return ch->value_pop(); // NOTE: returns here after receiving 1 value
}

// Senders started on one branch only: unknown count, silent.
int conditionalStart(bool twice) {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  std::thread([ch] { ch->push(1); }).detach();
  if (twice)
    std::thread([ch] { ch->push(2); }).detach();
  return ch->value_pop();
}

// try_push never blocks.
int trySenders() {
  auto ch = std::make_shared<buffered_channel<int>>(2);
  for (int i = 0; i < 3; ++i)
    std::thread([ch, i] { ch->try_push(i); }).detach();
  return ch->value_pop();
}

// A sender that may not send at all.
int maybeSends() {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] {
      if (matches(i))
        ch->push(i);
    }).detach();
  return ch->value_pop();
}

// A lambda that is not started here: we do not know who runs it, so form 1
// stays silent. But nothing can ever receive from 'ch' (form 3).
std::function<void()> notStarted() {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: 'ch' is sent to but never received from NOTE: receive from 'ch'
  std::function<void()> f = [ch] { ch->push(1); }; // NOTE: sent here
  return f;
}

// Passed to a reader we can see: its receives count (form 3 stays silent).
void readsTwo(unbuffered_channel<int> &ch) {
  ch.value_pop();
  ch.value_pop();
}
void handsToReader() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber a([&ch] { ch.push(1); });
  boost::fibers::fiber b([&ch] { ch.push(2); });
  readsTwo(ch);
  a.join();
  b.join();
}

// A capacity that is not a constant.
int unknownCapacity(std::size_t cap) {
  auto ch = std::make_shared<buffered_channel<int>>(cap);
  for (int i = 0; i < 3; ++i)
    std::thread([ch, i] { ch->push(i); }).detach();
  return ch->value_pop();
}

// A timed receive may get nothing: it does not count as a read. Here the
// function drains the rest afterwards in a counted loop.
int timedThenDrain() {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] { ch->push(i); }).detach();
  int v = 0;
  ch->pop_wait_for(v, std::chrono::seconds(1));
  for (int i = 0; i < 2; ++i)
    ch->value_pop();
  return v;
}

// Exceptions: a throw is a way out when something may catch it (callers in
// other files may): the senders stay blocked. See -program.cpp for throws
// that end in std::terminate.
struct Timeout {};
int throwsBeforeDraining(bool late) {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: 2 senders send 2 values to channel 'ch' but only 0 are received before throwing and it buffers 0: 2 senders block forever NOTE: close 'ch' before throwing
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] { ch->push(i); }).detach(); // NOTE: 2 senders started here
  if (late)
    throw Timeout(); // NOTE: throws here after receiving 0 values
  return ch->value_pop() + ch->value_pop();
}

// FIXME: receives inside a try block are not counted (the check gives up);
// this one leaks one sender and is not reported.
int receivesInTry() {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] { ch->push(i); }).detach();
  try {
    return ch->value_pop();
  } catch (...) {
    return -1;
  }
}

//===-- Form 2: producer outlives its consumer ----------------------------===//

// Seed 003 (fetchData): an endless producer; the reader stops on a match.
int firstMatch() {
  auto ch = std::make_shared<buffered_channel<int>>(8); // WARN: the producer sends to channel 'ch' without end but the reader can stop early without closing it NOTE: close 'ch' on that path
  std::thread([ch] {
    for (int i = 0;; ++i) // NOTE: the producer's loop has no stop condition
      ch->push(i);
  }).detach();
  int v;
  while (ch->pop(v) == channel_op_status::success) {
    if (matches(v))
      return v; // NOTE: the reader can stop here and 'ch' is not closed afterwards
  }
  return -1;
}

// A producer over an input of any size; the reader breaks out on an error.
void inputProducer(const std::vector<int> &items) {
  buffered_channel<int> ch(4); // WARN: the producer sends to channel 'ch' without end NOTE: close 'ch' on that path
  std::thread producer([&ch, &items] {
    for (int x : items) // NOTE: the producer's loop has no stop condition
      ch.push(x);
    ch.close();
  });
  for (int v : ch) {
    if (v < 0)
      break; // NOTE: the reader can stop here
  }
  producer.join();
}

// A reader that gives up after a timeout.
void timeoutReader() {
  auto ch = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'ch' without end NOTE: close 'ch' on that path
  std::thread([ch] {
    while (true) // NOTE: the producer's loop has no stop condition
      ch->push(42);
  }).detach();
  for (;;) {
    int v;
    if (ch->pop_wait_for(v, std::chrono::milliseconds(10)) ==
        channel_op_status::timeout)
      break; // NOTE: the reader can stop here
  }
}

// A reader that takes only the first values.
int firstTwo() {
  auto ch = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'ch' without end NOTE: close 'ch' on that path
  std::thread([ch] {
    for (;;) // NOTE: the producer's loop has no stop condition
      ch->push(7);
  }).detach();
  int a = ch->value_pop();
  int b = ch->value_pop();
  return a + b; // NOTE: the reader can stop here
}

//===-- Form 2: must stay silent ------------------------------------------===//

// The reader closes the channel on its early exit: the producer's push fails.
// (The producer ignores the status and spins: see the docs' limits.)
int closesOnEarlyExit(const std::vector<int> &items) {
  buffered_channel<int> ch(4);
  std::thread producer([&ch, &items] {
    for (int x : items)
      if (ch.push(x) == channel_op_status::closed)
        return;
  });
  int found = -1;
  for (int v : ch) {
    if (matches(v)) {
      found = v;
      ch.close();
      break;
    }
  }
  ch.close();
  producer.join();
  return found;
}

// The producer reads a stop flag.
void stopFlag() {
  auto ch = std::make_shared<buffered_channel<int>>(4);
  auto stop = std::make_shared<std::atomic<bool>>(false);
  std::thread([ch, stop] {
    while (!stop->load())
      ch->push(1);
  }).detach();
  ch->value_pop();
  stop->store(true);
  ch->close();
}

// The producer checks the send status and stops on `closed`.
void producerChecksStatus() {
  auto ch = std::make_shared<buffered_channel<int>>(4);
  std::thread([ch] {
    for (;;)
      if (ch->push(1) != channel_op_status::success)
        return;
  }).detach();
  ch->value_pop();
  ch->close();
}

// A scope guard closes the channel when the reader leaves: silent.
template <class F> struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <class F> ScopeExit<F> onExit(F f) { return {f}; }
int guardedReader() {
  auto ch = std::make_shared<buffered_channel<int>>(4);
  auto closer = onExit([ch] { ch->close(); });
  std::thread([ch] {
    for (;;)
      ch->push(3);
  }).detach();
  return ch->value_pop();
}

// A finite producer and a reader that drains everything.
void drainsEverything(const std::vector<int> &items) {
  buffered_channel<int> ch(4);
  std::thread producer([&ch, &items] {
    for (int x : items)
      ch.push(x);
    ch.close();
  });
  long sum = 0;
  for (int v : ch)
    sum += v;
  producer.join();
}

//===-- Form 3: written, never read ---------------------------------------===//

// Sent to by other threads, never read.
void sendsToNobody() {
  auto ch = std::make_shared<buffered_channel<int>>(8); // WARN: 'ch' is sent to but never received from in this translation unit: once it is full every sender blocks forever NOTE: receive from 'ch'
  std::thread([ch] { ch->push(1); }).detach(); // NOTE: sent here
}

class Telemetry {
public:
  void record(int v) { events_.push(v); } // NOTE: sent here
  void shutdown() { events_.close(); }

private:
  buffered_channel<int> events_{64}; // WARN: 'events_' is sent to but never received from NOTE: receive from 'events_'
};

static buffered_channel<int> auditLog(16); // WARN: 'auditLog' is sent to but never received from in this translation unit: the values it holds are never used NOTE: receive from 'auditLog'
void audit(int v) { auditLog.try_push(v); } // NOTE: sent here

// std::promise whose future is never obtained.
void promiseNoFuture() {
  std::promise<int> p; // WARN: the value set on promise 'p' is never read: its future is never obtained NOTE: wait on the future
  std::thread t([&p] { p.set_value(42); }); // NOTE: the value is set here
  t.join();
}

// ... or obtained and never waited on.
void promiseUnwaited() {
  std::promise<int> p; // WARN: the value set on promise 'p' is never read: its future is never waited on NOTE: wait on the future
  std::future<int> f = p.get_future(); // NOTE: the future is obtained here
  std::thread t([&p] { p.set_value(42); }); // NOTE: the value is set here
  t.join();
}

//===-- Form 3: must stay silent ------------------------------------------===//

// A local channel that only its own function writes: a dead store destroyed
// with the function, not a leak (reduced from spdlog's tests/test_mpmc_q.cpp).
void writesItself() {
  buffered_channel<int> ch(8);
  ch.push(1);
  ch.try_push(2);
}

class Inbox {
public:
  void put(int v) { box_.push(v); }
  int take() { return box_.value_pop(); }

private:
  buffered_channel<int> box_{8};
};

int promiseWaited() {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  std::thread t([&p] { p.set_value(42); });
  int v = f.get();
  t.join();
  return v;
}

std::future<int> promisePassedOn(std::thread &t) {
  std::promise<int> p;
  std::future<int> f = p.get_future();
  t = std::thread([p = std::move(p)]() mutable { p.set_value(1); });
  return f;
}

// Handed to a function defined elsewhere: its reads are invisible.
void handedAway() {
  buffered_channel<int> ch(8); // ESC-WARN: 'ch' is sent to but never received from ESC-NOTE: receive from 'ch'
  ch.push(1); // ESC-NOTE: sent here
  consume(ch);
}

// A global visible to other files.
buffered_channel<int> sharedLog(16); // ESC-WARN: 'sharedLog' is sent to ESC-NOTE: receive from 'sharedLog'
void logIt(int v) { sharedLog.push(v); } // ESC-NOTE: sent here

// Returned to the caller, who reads it.
std::shared_ptr<buffered_channel<int>> makeFeed() {
  auto ch = std::make_shared<buffered_channel<int>>(4);
  ch->push(1);
  return ch;
}

// Seed 003 (fetchData) as written: the channel goes to the caller, the
// producer loops forever and ignores push's status. Whatever the reader
// does, the producer never ends.
std::shared_ptr<buffered_channel<int>> fetchData() {
  auto ch = std::make_shared<buffered_channel<int>>(2); // WARN: the producer sends to channel 'ch' forever and ignores the send status: no reader can stop it NOTE: let the producer return when its send reports that 'ch' is closed
  std::thread([ch] {
    for (;;) // NOTE: the producer's loop has no stop condition
      ch->push(1);
  }).detach();
  return ch; // NOTE: 'ch' is returned to a reader here
}

// Silent: the returned channel's producer stops when the reader closes it.
std::shared_ptr<buffered_channel<int>> fetchDataFixed() {
  auto ch = std::make_shared<buffered_channel<int>>(2);
  std::thread([ch] {
    for (;;)
      if (ch->push(1) == channel_op_status::closed)
        return;
  }).detach();
  return ch;
}

// Silent: a finite producer into a returned channel (the reader may drain).
std::shared_ptr<buffered_channel<int>> fetchAll(std::vector<int> items) {
  auto ch = std::make_shared<buffered_channel<int>>(2);
  std::thread([ch, items] {
    for (int x : items)
      ch->push(x);
    ch->close();
  }).detach();
  return ch;
}
#endif // ONLY_CAPACITY

//===-- Options: CapacitySemantics ----------------------------------------===//

// With 'arg' semantics buffered_channel(4) would hold 4: one sender too many
// (the default, arg-minus-one, makes it 2 blocked senders).
int capacitySemantics() {
  buffered_channel<int> ch(4); // CAP-WARN: 5 senders send 5 values to channel 'ch' but only 0 are received before returning and it buffers 4: 1 sender blocks forever CAP-NOTE: close 'ch' WARN: 5 senders send 5 values to channel 'ch' but only 0 are received before returning and it buffers 3: 2 senders block forever NOTE: close 'ch'
  std::vector<std::thread> ts;
  for (int i = 0; i < 5; ++i)
    ts.emplace_back([&ch, i] { ch.push(i); }); // CAP-NOTE: 5 senders started here NOTE: 5 senders started here
  for (auto &t : ts)
    t.detach();
  return 0; // CAP-NOTE: returns here after receiving 0 values NOTE: returns here after receiving 0 values
}

#ifdef BROKEN
int broken() {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  for (int i = 0; i < 3; ++i)
    std::thread([ch, i] { ch->push(undeclared(i)); }).detach();
  int v = ch->value_pop(
  return v;
}
void broken2() {
  buffered_channel<NoSuchType> ch(4);
  ch.push(1);
  for (;;
}
#endif
