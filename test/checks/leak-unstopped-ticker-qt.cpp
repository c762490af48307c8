// RUN: %check_leak --prefixes=,DEF %s leak-unstopped-ticker -- -std=c++17 %qt_flags -fPIC
// RUN: %check_leak --config="{CheckOptions: {leak-unstopped-ticker.IgnoreParentedQTimer: 'true'}}" %s leak-unstopped-ticker -- -std=c++17 %qt_flags -fPIC
// REQUIRES: qt5
//
// leak-unstopped-ticker on Qt: heap QTimers with no parent, or parented to
// the application by a shorter-lived object, started and never stopped.

#include <QCoreApplication>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <memory>

void work();

// ---- must warn ----

class Monitor {
public:
  void begin() {
    timer_ = new QTimer(); // NOTE: QTimer created here
    QObject::connect(timer_, &QTimer::timeout, [] { work(); });
    timer_->start(1000); // WARN: periodic QTimer 'timer_' is started here but no function of 'Monitor' stops or deletes it
                         // NOTE@-1: stop() or delete it when its owner is done
  }

private:
  QTimer *timer_ = nullptr;
};

class Session : public QObject {
public:
  void open() {
    auto *t = new QTimer(qApp); // DEF-NOTE: QTimer created here
    connect(t, &QTimer::timeout, this, [] { work(); });
    t->start(5000); // DEF-WARN: periodic QTimer 't' is parented to an object that lives for the whole program and is never stopped: destroying the 'Session' does not stop it
                    // DEF-NOTE@-1: stop() or delete it
  }
  void openInstance() {
    keep_ = new QTimer(QCoreApplication::instance()); // DEF-NOTE: QTimer created here
    keep_->start(5000); // DEF-WARN: parented to an object that lives for the whole program
                        // DEF-NOTE@-1: stop() or delete it
  }

private:
  QTimer *keep_ = nullptr;
};

void freeFunction() {
  QTimer *t = new QTimer; // NOTE: QTimer created here
  QObject::connect(t, &QTimer::timeout, [] { work(); });
  t->start(250); // WARN: periodic QTimer 't' is never stopped: nothing stops, deletes or hands it off
                 // NOTE@-1: stop() or delete it
}

// A QThread-style run() loop.
class Worker : public QThread {
  void run() override {
    forever { // WARN: endless loop waits on every turn and has no exit
              // NOTE@-1: leave the loop when
      work();
      QThread::msleep(100); // NOTE: waits here on every turn
    }
  }
};

// ---- must stay silent ----

class Owned : public QObject {
public:
  Owned() : byValue_(this) {}
  void begin() {
    auto *t = new QTimer(this); // parented to the owner: dies with it
    t->start(1000);
    byValue_.start(1000); // a by-value member: destroyed with the owner
    smart_ = std::make_unique<QTimer>();
    smart_->start(1000);
    stopped_ = new QTimer;
    stopped_->start(1000);
    deleted_ = new QTimer;
    deleted_->start(1000);
    single_ = new QTimer;
    single_->setSingleShot(true);
    single_->start(1000);
    selfDeleting_ = new QTimer;
    connect(selfDeleting_, &QTimer::timeout, selfDeleting_, &QObject::deleteLater);
    selfDeleting_->start(1000);
  }
  void stop() { stopped_->stop(); }
  ~Owned() override { delete deleted_; }

private:
  QTimer byValue_;
  std::unique_ptr<QTimer> smart_;
  QTimer *stopped_ = nullptr;
  QTimer *deleted_ = nullptr;
  QTimer *single_ = nullptr;
  QTimer *selfDeleting_ = nullptr;
};

// Handed to someone else.
void adopt(QTimer *);
void handedOff() {
  auto *t = new QTimer;
  t->start(1000);
  adopt(t);
}

// Re-parented later.
class Later : public QObject {
  void begin() {
    auto *t = new QTimer;
    t->start(1000);
    t->setParent(this);
  }
};

// A class whose destructor lives in another file.
class Split {
public:
  ~Split();
  void begin() {
    t_ = new QTimer;
    t_->start(1000);
  }

private:
  QTimer *t_;
};

// The application's own ticker in main: lives for the program by design.
int main(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  auto *t = new QTimer(&app);
  t->start(1000);
  auto *u = new QTimer;
  u->start(1000);
  return app.exec();
}
