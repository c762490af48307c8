// RUN: %check_leak %s leak-timer-in-loop -- -std=c++17
// REQUIRES: libevent
//
// leak-timer-in-loop (issue 14): a timer handed to a local owner whose
// destructor releases it (a hand-written UniqueFd, a std::unique_ptr with a
// deleter that calls event_free) does not outlive the iteration: the
// engine's adoption hook ends the path at the owner's scope end.

#include <event2/event.h>
#include <memory>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

bool running();
void use(int);

class UniqueFd {
public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd &) = delete;
  ~UniqueFd() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int get() const { return fd_; }

private:
  int fd_;
};

struct EventFree {
  void operator()(event *e) const { event_free(e); }
};

void ownedFd() {
  while (running()) {
    UniqueFd guard(timerfd_create(CLOCK_MONOTONIC, 0));
    use(5);
  }
}

void ownedEvent(event_base *base, event_callback_fn cb) {
  while (running()) {
    std::unique_ptr<event, EventFree> ev(evtimer_new(base, cb, nullptr));
    use(6);
  }
}

void ownedEventFnDeleter(event_base *base, event_callback_fn cb) {
  while (running()) {
    std::unique_ptr<event, decltype(&event_free)> ev(
        evtimer_new(base, cb, nullptr), &event_free);
    use(7);
  }
}

// Still a leak: this wrapper's destructor releases nothing.
class FdView {
public:
  explicit FdView(int fd) : fd_(fd) {}
  ~FdView() { use(fd_); }

private:
  int fd_;
};

void viewOnly() {
  while (running()) { // NOTE: the loop has no small constant trip count
    FdView view(timerfd_create(CLOCK_MONOTONIC, 0)); // WARN: timerfd created on every iteration of this loop outlives the iteration
    use(8);
  }
}

// Still a leak: the owner gives the event back (release()) and nobody frees
// it.
void releasedOwner(event_base *base, event_callback_fn cb) {
  while (running()) { // NOTE: the loop has no small constant trip count
    std::unique_ptr<event, EventFree> ev(evtimer_new(base, cb, nullptr)); // WARN: libevent timer created on every iteration of this loop outlives the iteration
    ev.release();
  }
}
