// RUN: %check_leak %s leak-timer-in-loop -- -std=c++17 %qt_flags -fPIC
// REQUIRES: qt5
//
// leak-timer-in-loop (issue 14): a function that deletes every timer of a
// container and clears it before the loop that refills it keeps one batch
// alive, not one per call: every path to the creation passes the release of
// all held timers (the engine's "releases all" notion).

#include <QList>
#include <QObject>
#include <QTimer>
#include <vector>

int count();

class Poller : public QObject {
public:
  void restart();
  void restartQList();
  void refillWithoutDelete();
  void maybeDeleted(bool wipe);

private:
  std::vector<QTimer *> timers_;
  QList<QTimer *> qtimers_;
  std::vector<QTimer *> kept_;
  std::vector<QTimer *> some_;
};

void Poller::restart() {
  for (QTimer *t : timers_)
    delete t;
  timers_.clear();
  for (int i = 0; i < count(); ++i) {
    QTimer *t = new QTimer(this);
    t->start(1000);
    timers_.push_back(t);
  }
}

void Poller::restartQList() {
  qDeleteAll(qtimers_);
  qtimers_.clear();
  for (int i = 0; i < count(); ++i) {
    auto *t = new QTimer(this);
    t->start(1000);
    qtimers_.append(t);
  }
}

// Still a leak: cleared without deleting the timers (they stay parented).
void Poller::refillWithoutDelete() {
  kept_.clear();
  for (int i = 0; i < count(); ++i) { // NOTE: the loop has no small constant trip count
    QTimer *t = new QTimer(this); // WARN: QTimer created on every iteration of this loop outlives the iteration: it is stored in a container that is never cleaned up
    t->start(1000);
    kept_.push_back(t); // NOTE: stored here
  }
}

// Still a leak: the old timers are deleted on one path only.
void Poller::maybeDeleted(bool wipe) {
  if (wipe) {
    qDeleteAll(some_);
    some_.clear();
  }
  for (int i = 0; i < count(); ++i) { // NOTE: the loop has no small constant trip count
    QTimer *t = new QTimer(this); // WARN: QTimer created on every iteration of this loop outlives the iteration: it is stored in a container that is never cleaned up
    t->start(1000);
    some_.push_back(t); // NOTE: stored here
  }
}
