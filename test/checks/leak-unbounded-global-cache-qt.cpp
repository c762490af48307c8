// REQUIRES: qt5
// RUN: %check_leak %s leak-unbounded-global-cache -- -std=c++17 %qt_flags -fPIC

#include <QByteArray>
#include <QCache>
#include <QHash>
#include <QList>
#include <QMap>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVector>

struct Pixmap {
  int W = 0;
};

// Must warn.
static QHash<QString, Pixmap> PixmapCache; // WARN: global QHash 'PixmapCache' only grows: entries are added with run-time keys
Pixmap load(const QString &Path) {
  if (PixmapCache.contains(Path))
    return PixmapCache.value(Path);
  Pixmap P;
  PixmapCache.insert(Path, P); // NOTE: grows here: 'insert' adds a key from parameter 'Path'
  return P;
}

QMap<int, QString> Names; // WARN: global QMap 'Names' only grows
void rename(int Id, const QString &N) { Names[Id] = N; } // NOTE: 'operator[]' adds a key from parameter 'Id'

QSet<QString> Visited; // WARN: global QSet 'Visited' only grows
void visit(const QString &Url) { Visited << Url; } // NOTE: 'operator<<' adds a key from parameter 'Url'

QStringList Log; // WARN: global QStringList 'Log' only grows: elements are added with run-time values
void log(const QString &Line) { Log.append(Line); } // NOTE: 'append' adds an element from parameter 'Line'

QVector<int> Samples; // WARN: global QVector 'Samples' only grows
void sample(int V) { Samples.prepend(V); } // NOTE: 'prepend' adds an element from parameter 'V'

QByteArray Wire; // WARN: global QByteArray 'Wire' only grows
void send(const char *Data) { Wire += Data; } // NOTE: 'operator+=' adds an element from parameter 'Data'

// Silent: QCache is bounded (maxCost).
static QCache<QString, Pixmap> Bounded(100);
void keep(const QString &Path) { Bounded.insert(Path, new Pixmap); }

// Silent: Qt's shrinking operations.
QHash<QString, int> Taken;
void putT(const QString &K) { Taken.insert(K, 1); }
int takeT(const QString &K) { return Taken.take(K); }

QList<QString> Removed;
void putR(const QString &K) { Removed.append(K); }
void dropR(const QString &K) { Removed.removeAll(K); }

QMap<QString, int> RemovedKey;
void putK(const QString &K) { RemovedKey[K] = 1; }
void dropK(const QString &K) { RemovedKey.remove(K); }

// Silent: QList::operator[] does not grow.
QList<int> Fixed = {1, 2, 3};
void setFixed(int I, int V) { Fixed[I] = V; }

// Silent: the const operator[] of a QHash only reads.
class Settings {
public:
  static Settings &get() {
    static Settings S;
    return S;
  }
  int value(const QString &K) const { return Values[K]; }

private:
  Settings() { Values.insert(QStringLiteral("a"), 1); }
  QHash<QString, int> Values;
};
QHash<QString, int> ReadOnly;
int lookup(const QString &K) { return static_cast<const QHash<QString, int> &>(ReadOnly)[K]; }

// Silent: constant keys.
QHash<QString, int> Counters;
void bump() { Counters[QStringLiteral("requests")]++; Counters.insert(QString("total"), 1); }

// Nested (issue 17): the outer QHash is trimmed, each inner QList only grows.
QHash<QString, QList<QString>> Inbox; // WARN: the inner sequences of global QHash 'Inbox' only grow: elements are added with run-time values
void deliver(const QString &User, const QString &Msg) {
  Inbox[User].append(Msg); // NOTE: grows here: 'append' adds an element from parameter 'Msg'
}
void userGone(const QString &User) { Inbox.remove(User); }

// Silent: both levels trimmed.
QMap<QString, QSet<QString>> Subs;
void subscribe(const QString &Topic, const QString &Who) { Subs[Topic].insert(Who); }
void unsubscribe(const QString &Topic, const QString &Who) { Subs[Topic].remove(Who); }
void dropTopic(const QString &Topic) { Subs.remove(Topic); }
