// REQUIRES: qt5
// Qt threads: a local QThread destroyed while running aborts the process; a
// QThread the function owns (new without a parent, QThread::create) that is
// never waited for, deleted, or handed to deleteLater leaks.
// RUN: %check_leak --allow-extra-notes %s leak-unjoined-thread -- -std=c++17 %qt_flags -fPIC
// RUN: %check_leak --allow-extra-notes --prefixes=,OPT --config="{CheckOptions: {leak-unjoined-thread.QThreadTypes: '+app::Runner'}}" %s leak-unjoined-thread -- -std=c++17 %qt_flags -fPIC -DAPP_RUNNER

#include <QObject>
#include <QThread>

void work();
bool ready() noexcept;

class Worker : public QObject {
public:
  void process();
};

class Pipeline : public QThread {
protected:
  void run() override { work(); }
};

void object_early_return() {
  QThread t; // WARN: QThread 't' may still be running when it is destroyed on this path
  t.start(); // NOTE: thread started here
  if (!ready())
    return;  // NOTE: returns here
  t.quit();
  t.wait();
}

void subclass_never_waited() {
  Pipeline p; // WARN: QThread 'p' may still be running when it is destroyed on this path
  p.start();
}

void created_never_owned() {
  QThread *t = QThread::create(work); // WARN: QThread 't' is started but on this path it is never waited for, deleted or given an owner
  t->start();
}

void new_never_owned() {
  QThread *t = new QThread; // WARN: QThread 't' is started but on this path it is never waited for
  t->start();
  if (!ready())
    return;
  t->quit();
  t->wait();
  delete t;
}

// Silent.
void object_waited() {
  QThread t;
  t.start();
  t.quit();
  t.wait();
}

void worker_moved_to_thread(Worker &w) {
  QThread t;
  w.moveToThread(&t); // hands the thread to the worker's logic: not ours
  t.start();
  t.quit();
  t.wait();
}

void delete_later_ownership() {
  QThread *t = QThread::create(work);
  QObject::connect(t, &QThread::finished, t, &QObject::deleteLater);
  t->start();
}

void parented(QObject *parent) {
  QThread *t = new QThread(parent); // the parent deletes it
  t->start();
}

void returned_to_caller_ptr(QThread **out) {
  QThread *t = QThread::create(work);
  t->start();
  *out = t;
}

#ifdef APP_RUNNER
namespace app {
// A user type configured by name (not a Qt class: see QThreadTypes).
class Runner {
public:
  void start();
  void wait();
};
} // namespace app
void runner() {
  app::Runner r; // OPT-WARN: QThread 'r' may still be running
  r.start();
}
#endif
