// RUN: %check_leak %s leak-unstopped-ticker -- -std=c++17 %qt_flags -fPIC
// REQUIRES: qt5
//
// leak-unstopped-ticker on QObject::startTimer / killTimer: a periodic timer
// known only by its int id. A QObject kills its own timers when it is
// destroyed, so an id that is never killed is not a leak by itself; the
// leaks are an id overwritten while its timer may still run (nothing can
// kill that timer any more) and a timer started on every event whose id is
// thrown away (one more timer per event).

#include <QObject>
#include <QTimerEvent>
#include <chrono>

void work();

// ---- must warn ----

class Poller : public QObject {
public:
  Poller() { timerId_ = startTimer(1000); } // NOTE: 'timerId_' is first set here
  void setInterval(int ms) {
    timerId_ = startTimer(ms); // WARN: a new periodic QObject timer id is stored in 'timerId_' while the timer it holds may still run; with its id lost nothing can kill that timer
                               // NOTE@-1: overwritten here while the old timer may still run
                               // NOTE@-2: killTimer() the old id before starting a new timer
  }
  void stop() { killTimer(timerId_); }

private:
  int timerId_ = 0;
};

// Killed on one branch only: the other path overwrites a live id.
class Blinker : public QObject {
public:
  void start() { id_ = startTimer(std::chrono::milliseconds(500)); } // NOTE: 'id_' is first set here
  void restart(bool fast, int ms) {
    if (fast) // NOTE: taking the false branch
      killTimer(id_);
    id_ = startTimer(ms); // WARN: a new periodic QObject timer id is stored in 'id_' while the timer it holds may still run
                                        // NOTE@-1: overwritten here
                                        // NOTE@-2: killTimer() the old id
  }

private:
  int id_ = 0;
};

// A timer started on every timer event, its id thrown away: the timers
// multiply with every tick.
class Spawner : public QObject {
public:
  Spawner() { startTimer(1000); }

protected:
  void timerEvent(QTimerEvent *) override {
    work();
    startTimer(1000); // WARN: periodic QObject timer started on every event and its id discarded: one more timer fires per event, and none can be killed before the object dies
                      // NOTE@-1: keep the id and killTimer() it when its owner is done
  }
};

// ---- must stay silent ----

// Killed before the new id is stored.
class GoodPoller : public QObject {
public:
  GoodPoller() { timerId_ = startTimer(1000); }
  void setInterval(int ms) {
    killTimer(timerId_);
    timerId_ = startTimer(ms);
  }

private:
  int timerId_ = 0;
};

// One timer for the object's life, never killed: ~QObject kills it.
class Ticker : public QObject {
public:
  Ticker() { id_ = startTimer(1000); }
  void begin() { startTimer(250); }

protected:
  void timerEvent(QTimerEvent *e) override {
    if (e->timerId() == id_)
      work();
  }

private:
  int id_ = 0;
};

// Started only when none runs: the branch reads the member (unsure).
class Lazy : public QObject {
public:
  void arm() { id_ = startTimer(1000); }
  void ensure() {
    if (id_ != 0)
      return;
    id_ = startTimer(1000);
  }

private:
  int id_ = 0;
};

// The old id is cleared through a helper of this file that kills it.
class Helper : public QObject {
public:
  Helper() { id_ = startTimer(1000); }
  void halt() {
    killTimer(id_);
    id_ = 0;
  }
  void reset(int ms) {
    halt();
    id_ = startTimer(ms);
  }

private:
  int id_ = 0;
};
