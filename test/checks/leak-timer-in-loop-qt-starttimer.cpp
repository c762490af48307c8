// RUN: %check_leak %s leak-timer-in-loop -- -std=c++17 %qt_flags -fPIC
// REQUIRES: qt5
//
// leak-timer-in-loop on QObject::startTimer: a periodic timer known by its
// int id, started on every turn of a loop (or once per element of a
// message batch) and never killed in that turn, piles up on the object.

#include <QList>
#include <QObject>
#include <QString>
#include <vector>

bool readOne();
void work();

// ---- must warn ----

class Conn : public QObject {
public:
  void serve() {
    while (readOne()) { // NOTE: the loop has no small constant trip count; start one timer before the loop and keep its id, or killTimer() the id in the same iteration
      startTimer(30000); // WARN: QObject timer created on every iteration of this loop outlives the iteration: it is never released, so one timer piles up per iteration and none is ever freed
    }
  }
  void onBatch(const QList<QString> &messages) {
    for (const QString &m : messages) { // NOTE: the loop has no small constant
      startTimer(60000 + m.size()); // WARN: QObject timer created on every iteration of this loop outlives the iteration: it is never released
    }
  }
  void someKilled(const std::vector<int> &ids) {
    for (int i : ids) { // NOTE: the loop has no small constant
      int id = startTimer(1000); // WARN: QObject timer created on every iteration
      if (i > 0)
        killTimer(id);
    }
  }
};

// ---- must stay silent ----

class Good : public QObject {
public:
  // Killed in the same iteration.
  void probe() {
    while (readOne()) {
      int id = startTimer(1000);
      work();
      killTimer(id);
    }
  }
  // A fixed set of timers.
  void three() {
    for (int i = 0; i < 3; ++i)
      ids_[i] = startTimer(1000 * (i + 1));
  }
  // One timer, started before the loop.
  void once() {
    int id = startTimer(1000);
    while (readOne())
      work();
    killTimer(id);
  }

private:
  int ids_[3] = {};
};
