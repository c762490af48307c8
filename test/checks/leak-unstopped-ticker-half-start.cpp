// RUN: %check_leak --allow-extra-notes %s leak-unstopped-ticker -- -std=c++17 %glib_flags
// REQUIRES: glib
//
// leak-unstopped-ticker, a start that fails half-way, in C++: a class
// whose destructor removes the source owns it (the destructor runs whether
// start() failed or not): silent. A class without a destructor is judged
// like a C struct.

#include <glib.h>

int openDevice();

static gboolean tick(gpointer) { return G_SOURCE_CONTINUE; }

class Owned {
public:
  ~Owned() { stop(); }
  bool start() {
    id_ = g_timeout_add(1000, tick, this);
    if (openDevice() < 0)
      return false;
    return true;
  }
  void stop() {
    if (id_)
      g_source_remove(id_);
    id_ = 0;
  }

private:
  guint id_ = 0;
};

class Unowned {
public:
  bool start() {
    id_ = g_timeout_add(1000, tick, this); // WARN: GLib timeout source stored in 'id_' stays active when this function fails
    if (openDevice() < 0)
      return false; // NOTE: returns here
    return true;
  }
  void stop() { g_source_remove(id_); }

private:
  guint id_ = 0;
};
