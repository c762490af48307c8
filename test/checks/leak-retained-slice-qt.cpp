// Qt containers: QByteArray/QString truncate/resize/chop keep the allocation
// (clear() frees it); QVector keeps its capacity on clear() since Qt 5.7.
// REQUIRES: qt5
// RUN: %check_leak %s leak-retained-slice -- -std=c++17 %qt_flags -fPIC

#include <QByteArray>
#include <QString>
#include <QVector>
#include <utility>

QByteArray readAll(int fd);

static QByteArray g_blob;
void load(int fd) { g_blob = readAll(fd); } // NOTE: 'g_blob' takes a large buffer here
void keepMagic() { g_blob.truncate(4); } // WARN: 'g_blob' is cut down here but keeps the capacity of a large buffer (size unknown) NOTE: give the memory back with squeeze()

static QString g_title;
void setTitle(QString t) { g_title = std::move(t); } // NOTE: 'g_title' takes a large buffer here
void shortTitle() { g_title.resize(8); } // WARN: 'g_title' is cut down here NOTE: squeeze()

static QVector<int> g_points;
void addPoints(const int *p, int n) {
  for (int i = 0; i < n; ++i)
    g_points.append(p[i]); // NOTE: 'g_points' takes a large buffer here
}
void resetPoints() { g_points.clear(); } // WARN: 'g_points' is cut down here NOTE: squeeze()

static QByteArray g_tail;
void loadTail(int fd) { g_tail = readAll(fd); } // NOTE: 'g_tail' takes a large buffer here
void dropTail() { g_tail.chop(100); } // WARN: 'g_tail' is cut down here NOTE: squeeze()

// --- Must stay silent ---

// clear() on QByteArray/QString frees the memory.
static QByteArray g_cleared;
void loadCleared(int fd) { g_cleared = readAll(fd); }
void resetCleared() { g_cleared.clear(); }
// squeeze() after the cut.
static QByteArray g_squeezed;
void loadSqueezed(int fd) { g_squeezed = readAll(fd); }
void trimSqueezed() {
  g_squeezed.truncate(4);
  g_squeezed.squeeze();
}
// A scratch buffer refilled in the same loop.
static QByteArray g_scratch;
void pump(int fd) {
  for (int i = 0; i < 100; ++i) {
    g_scratch.truncate(0);
    g_scratch.append(readAll(fd));
  }
}
// truncate(0) on a QByteArray may free: not counted as a cut.
static QByteArray g_zero;
void loadZero(int fd) { g_zero = readAll(fd); }
void resetZero() { g_zero.truncate(0); }
