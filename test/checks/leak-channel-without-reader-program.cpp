// REQUIRES: boost-fiber
// RUN: %check_leak %s leak-channel-without-reader -- -std=c++17

// What the program model (lib/program) decides for this check: what a
// function of this file does with the channel it is given (its summary),
// which functions return a fresh channel, which paths end the process, and
// whether a throw can be caught.
#include <boost/fiber/all.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

bool matches(int v);

//===-- Helpers that receive, drain or close ------------------------------===//

// Receives one value on every call.
static int takeOne(unbuffered_channel<int> &ch) { return ch.value_pop(); }
// Receives until the channel is closed.
static int sumAll(unbuffered_channel<int> &ch) {
  int s = 0;
  for (int v : ch)
    s += v;
  return s;
}
// Closes it.
static void shut(unbuffered_channel<int> &ch) { ch.close(); }
// Receives on some calls only: no definite answer.
static int maybeTake(unbuffered_channel<int> &ch, bool b) {
  if (b)
    return ch.value_pop();
  return 0;
}

// Three senders, one value taken through the helper.
int oneThroughHelper() {
  unbuffered_channel<int> ch; // WARN: 3 senders send 3 values to channel 'ch' but only 1 is received before returning and it buffers 0: 2 senders block forever NOTE: close 'ch' before returning
  boost::fibers::fiber([&ch] { ch.push(1); }).detach(); // NOTE: 1 sender started here
  boost::fibers::fiber([&ch] { ch.push(2); }).detach(); // NOTE: 1 sender started here
  boost::fibers::fiber([&ch] { ch.push(3); }).detach(); // NOTE: 1 sender started here
  int v = takeOne(ch);
  return v; // NOTE: returns here after receiving 1 value
}

// Silent: the helper drains every value.
int drainedByHelper() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] { ch.push(1); }).detach();
  boost::fibers::fiber([&ch] { ch.push(2); }).detach();
  boost::fibers::fiber([&ch] { ch.push(3); ch.close(); }).detach();
  return sumAll(ch);
}

// Silent: the helper closes the channel, the blocked senders fail.
int closedByHelper() {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] { ch.push(1); }).detach();
  boost::fibers::fiber([&ch] { ch.push(2); }).detach();
  int v = takeOne(ch);
  shut(ch);
  return v;
}

// Silent: a helper that receives on some calls only gives no count.
int conditionalHelper(bool b) {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] { ch.push(1); }).detach();
  boost::fibers::fiber([&ch] { ch.push(2); }).detach();
  return maybeTake(ch, b);
}

static int firstOf(buffered_channel<int> &ch) { return ch.value_pop(); }

// An endless producer; the reader takes one value through the helper and
// leaves.
int helperReader() {
  auto ch = std::make_shared<buffered_channel<int>>(4); // WARN: the producer sends to channel 'ch' without end but the reader can stop early without closing it: the producer then blocks forever NOTE: close 'ch' on that path so that the producer's send fails, or let the producer's loop check a stop flag
  std::thread([ch] {
    for (;;) // NOTE: the producer's loop has no stop condition
      ch->push(7);
  }).detach();
  return firstOf(*ch); // NOTE: the reader can stop here and 'ch' is not closed afterwards
}

//===-- A function that returns a fresh channel ---------------------------===//

static std::shared_ptr<buffered_channel<int>> makeQueue() {
  return std::make_shared<buffered_channel<int>>(16);
}
// The factory made it: this file owns it, and nothing here reads it.
static std::shared_ptr<buffered_channel<int>> audit = makeQueue(); // WARN: 'audit' is sent to but never received from in this translation unit: once it is full every sender blocks forever NOTE: receive from 'audit' or stop sending to it
void record(int v) { audit->push(v); } // NOTE: sent here

// Silent: a getter that hands out a channel made elsewhere.
extern std::shared_ptr<buffered_channel<int>> sharedQueue;
static std::shared_ptr<buffered_channel<int>> getShared() { return sharedQueue; }
static std::shared_ptr<buffered_channel<int>> events = getShared();
void post(int v) { events->push(v); }

//===-- Paths that end the process ----------------------------------------===//

// Not declared [[noreturn]]: the program model sees that it never returns.
static void die(const char *why) {
  std::fprintf(stderr, "%s\n", why);
  std::abort();
}

// Silent: the early return after die() is never reached.
int fatalOnBadInput(bool ok) {
  unbuffered_channel<int> ch;
  boost::fibers::fiber([&ch] { ch.push(1); }).detach();
  boost::fibers::fiber([&ch] { ch.push(2); }).detach();
  if (!ok) {
    die("bad input");
    return -1;
  }
  return ch.value_pop() + ch.value_pop();
}

// Silent: the reader's way out through die() ends the process.
int firstMatchOrDie() {
  auto ch = std::make_shared<buffered_channel<int>>(8);
  std::thread([ch] {
    for (int i = 0;; ++i)
      ch->push(i);
  }).detach();
  int v;
  while (ch->pop(v) == channel_op_status::success) {
    if (v < 0) {
      die("negative value");
      break;
    }
    if (matches(v)) {
      ch->close();
      return v;
    }
  }
  return -1;
}

//===-- Throws ------------------------------------------------------------===//

struct Timeout {};

// A caller catches what it throws: the senders stay blocked.
static int throwsEarly(bool late) {
  auto ch = std::make_shared<unbuffered_channel<int>>(); // WARN: 2 senders send 2 values to channel 'ch' but only 0 are received before throwing and it buffers 0: 2 senders block forever NOTE: close 'ch' before throwing so that the blocked senders fail instead of waiting, or let it buffer all 2 values
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] { ch->push(i); }).detach(); // NOTE: 2 senders started here
  if (late)
    throw Timeout(); // NOTE: throws here after receiving 0 values
  return ch->value_pop() + ch->value_pop();
}
int callsThrowsEarly() {
  try {
    return throwsEarly(true);
  } catch (const Timeout &) {
    return -1;
  }
}

// Silent: a throw out of a noexcept function ends in std::terminate.
int readerNoexcept() noexcept {
  auto ch = std::make_shared<buffered_channel<int>>(4);
  std::thread([ch] {
    for (;;)
      ch->push(1);
  }).detach();
  int v = ch->value_pop();
  if (v < 0)
    throw Timeout();
  ch->close();
  return v;
}

// Silent: only main() calls it, and nothing on the way catches.
static int throwsToMain(bool late) {
  auto ch = std::make_shared<unbuffered_channel<int>>();
  for (int i = 0; i < 2; ++i)
    std::thread([ch, i] { ch->push(i); }).detach();
  if (late)
    throw Timeout();
  return ch->value_pop() + ch->value_pop();
}
int main(int argc, char **) { return throwsToMain(argc > 1); }
