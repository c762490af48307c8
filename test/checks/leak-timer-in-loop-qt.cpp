// RUN: %check_leak --prefixes=,DEF %s leak-timer-in-loop -- -std=c++17 %qt_flags -fPIC
// RUN: %check_leak --config="{CheckOptions: {leak-timer-in-loop.MinDelayMs: '400000', leak-timer-in-loop.IgnoreParentedQTimer: 'true'}}" --prefixes=,OPT %s leak-timer-in-loop -- -std=c++17 %qt_flags -fPIC -DOPTIONS
// REQUIRES: qt5
//
// leak-timer-in-loop on Qt: parented QTimers and QTimer::singleShot created
// on every turn of a loop.

#include <QCoreApplication>
#include <QObject>
#include <QTimer>
#include <QList>
#include <chrono>

bool running();
void work();

class Poller : public QObject {
public:
  void pump() {
    while (running()) { // DEF-NOTE: the loop has no small constant trip count; create one QTimer before the loop and start() it again inside
      auto *t = new QTimer(this); // DEF-WARN: QTimer created on every iteration of this loop outlives the iteration: it lives until its parent is destroyed, so one QTimer piles up per iteration
      t->setSingleShot(true);
      connect(t, &QTimer::timeout, this, [] { work(); });
      t->start(30000);
      QCoreApplication::processEvents();
    }
  }

  // A long singleShot on every turn of a hot loop.
  void hot() {
    for (;;) { // DEF-NOTE: the loop has no small constant
      QTimer::singleShot(5 * 60 * 1000, this, [] { work(); }); // DEF-WARN: one pending timer piles up per iteration, each living 5 minutes until it fires
      QCoreApplication::processEvents();
      if (!running())
        break;
    }
  }

  void chrono() {
    while (running()) { // NOTE: the loop has no small constant
      QTimer::singleShot(std::chrono::minutes(10), [] { work(); }); // WARN: one pending timer piles up per iteration, each living 10 minutes until it fires
      QCoreApplication::processEvents();
    }
  }

  // Unparented and never deleted.
  void unparented() {
    while (running()) { // NOTE: the loop has no small constant
      QTimer *t = new QTimer; // WARN: it is never released, so one timer piles up per iteration
      t->start(1000);
      QCoreApplication::processEvents();
    }
  }

  // Deleted on one path only.
  void conditional() {
    while (running()) { // DEF-NOTE: the loop has no small constant
      auto *t = new QTimer(this); // DEF-WARN: it lives until its parent is destroyed
      t->start(1000);
      QCoreApplication::processEvents();
      if (running())
        t->deleteLater();
    }
  }

  // ---- must stay silent ----
  void silent() {
    // A stack QTimer: destroyed every turn.
    while (running()) {
      QTimer t;
      t.start(1000);
      QCoreApplication::processEvents();
    }
    // Deleted in the same iteration.
    while (running()) {
      auto *t = new QTimer(this);
      t->start(1000);
      QCoreApplication::processEvents();
      delete t;
    }
    while (running()) {
      auto *t = new QTimer(this);
      t->start(1000);
      QCoreApplication::processEvents();
      t->deleteLater();
    }
    // One QTimer created before the loop and re-started inside.
    auto *once = new QTimer(this);
    while (running()) {
      once->start(1000);
      QCoreApplication::processEvents();
    }
    // A short singleShot.
    while (running()) {
      QTimer::singleShot(10, this, [] { work(); });
      QCoreApplication::processEvents();
    }
    // A fixed set of timers.
    for (int i = 0; i < 3; ++i) {
      auto *t = new QTimer(this);
      t->start(1000 * (i + 1));
    }
    // Timers kept in a member list that the destructor cleans up.
    while (running())
      timers.append(new QTimer(this));
  }
  ~Poller() { qDeleteAll(timers); }

private:
  QList<QTimer *> timers;
};
