//===--- TickerFacts.h - leak-tidy ----------------------------------------===//
//
// leak-unstopped-ticker's analyses: a periodic timer, or a periodic worker
// loop, that nothing can ever stop. One function per form, each returning a
// finding struct (what ticks, where it was made, why nothing stops it); the
// check only words them.
//  * findTickerLoopWait: an endless loop that waits on every turn and has no
//    way out.
//  * TickerFacts::unstoppedArm: a periodic arm (timer_settime with an
//    interval, QTimer::start, uv_timer_start with a repeat, event_add of an
//    EV_PERSIST timer) of a timer that nothing stops, deletes or hands off.
//  * TickerFacts::unremovedSource: a GLib timeout whose callback always
//    returns TRUE and whose id nobody removes.
//  * findUnstoppableRearm: an Asio handler that re-arms its timer whatever
//    the error code says.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_TIMER_TICKERFACTS_H
#define LEAK_TIDY_LIB_TIMER_TICKERFACTS_H

#include "lib/core/LifetimeEngine.h"
#include "lib/core/NameMatcher.h"
#include "lib/core/StorageFacts.h"
#include "lib/program/FlagWrites.h"
#include "lib/timer/TimerModel.h"
#include "lib/timer/TimerUseIndex.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <memory>
#include <optional>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class CXXRecordDecl;
class Expr;
class FunctionDecl;
class Stmt;
class ValueDecl;
namespace leaklib {

struct TickerLoop;
/// An endless loop (while(true), for(;;)) that waits on every turn and
/// cannot be left: no break, return, throw, goto, or noreturn call, no
/// boost::this_thread interruption point. Returns the first wait call, or
/// null when \p Loop is not such a loop. With \p Flag, also a loop on a stop
/// flag (`while (running_)`) that no file of the project can stop (project
/// facts, flagNeverStops): the flag and the notes are set in \p Flag.
const CallExpr *findTickerLoopWait(const Stmt *Loop, const NameMatcher &Waits,
                                   ASTContext &Ctx, TickerLoop *Flag = nullptr);

/// An Asio async_wait whose handler (a lambda) ignores its error code and
/// re-arms the same timer (or calls the function that armed it) on every
/// run, with no early return: cancel() cannot stop it. Returns the re-arm
/// call inside the handler, or null. \p Enclosing is the function that
/// contains \p AsyncWait.
const CallExpr *findUnstoppableRearm(const CallExpr *AsyncWait,
                                     const FunctionDecl *Enclosing,
                                     const TimerModel &Model);

/// An `asio::post` / `boost::asio::post` (or `defer`, `dispatch`) that runs
/// on every call of \p Enclosing (no return, throw or condition before it)
/// and whose handler -- a lambda or a bind of a function defined here, with
/// no way out -- unconditionally calls \p Enclosing again: a chain that
/// re-posts itself forever, which no cancel() stops. Returns the call of
/// \p Enclosing in the handler, or null.
const CallExpr *findSelfRepost(const CallExpr *Post,
                               const FunctionDecl *Enclosing);

/// A periodic worker loop that can never be stopped.
struct TickerLoop {
  const Stmt *Loop = nullptr;
  const CallExpr *Wait = nullptr; ///< the first wait of a turn
  /// Set for a loop in a free function (or static method): it only leaks
  /// when that function is a thread's body (known at the end of the TU).
  const FunctionDecl *OnlyIfThreadEntry = nullptr;
  /// A loop on a stop flag no file of the project sets to StopValue
  /// (project facts), and where the other value is written.
  const ValueDecl *Flag = nullptr;
  bool StopValue = false;
  std::vector<FlagNote> FlagNotes;
};

/// A periodic timer armed and never stopped.
struct UnstoppedArm {
  const CallExpr *Arm = nullptr;
  TimerFramework Framework = TimerFramework::User;
  const ValueDecl *Timer = nullptr;
  const Expr *Creation = nullptr; ///< null when not seen
  /// A member timer: the class none of whose functions stops it.
  const CXXRecordDecl *Owner = nullptr;
  /// A QTimer parented to the application by an object of this class,
  /// which dies first.
  const CXXRecordDecl *ShortLivedOwner = nullptr;
  /// A libuv ticker of a function that runs uv_run(), while the file closes
  /// the loop's other handles (here): the loop can never end.
  const CallExpr *ClosedSibling = nullptr;
};

/// A GLib timeout source that can never be removed; or a periodic timer
/// known by an id (QObject::startTimer, PeriodicTimerIdFunctions) whose id
/// is lost (Framework QtObject or User).
struct UnremovedSource {
  TimerFramework Framework = TimerFramework::GLib;
  /// A discarded QObject::startTimer id in an event handler (timerEvent,
  /// a `...Event` override): one more timer per event.
  bool PerEvent = false;
  const CallExpr *Add = nullptr;
  const FunctionDecl *Callback = nullptr; ///< always returns TRUE
  /// Where the source id is stored; null when the id is discarded.
  const ValueDecl *Id = nullptr;
  /// The id is a member that another function set first, and Path (from the
  /// function's entry to Add) removes nothing: the old source's id is lost.
  bool Overwritten = false;
  /// The id is kept, but Path (from Add) returns an error with the source
  /// still active: a start that fails half-way (sourceLeftOnError).
  bool LeftOnError = false;
  SourceLocation ArmedAt;
  LeakPath Path;
};

/// Whether \p Add (a GLib add storing its id in the member or global \p Id, in
/// \p FD) may overwrite the id of a source another function added first
/// (a constructor, or the first function in source order storing into
/// \p Id): a path from \p FD's entry to \p Add on which no
/// g_source_remove() of it, no helper that does and no call we cannot see
/// given the object runs, and no branch reads a member or calls something
/// (`if (self->id) return;`: unsure, silent). \p ArmedAt: the first store.
std::optional<LeakPath> sourceOverwritten(const CallExpr *Add,
                                          const FunctionDecl *FD,
                                          const ValueDecl *Id,
                                          const TimerModel &Model,
                                          SourceLocation &ArmedAt);

/// A start that fails half-way: \p Add (in \p FD, a function returning a
/// constant on success -- its last `return`) stores its id in the member or
/// global \p Id, and a path from it reaches a `return` of another constant
/// (the error) on which nothing removes the source. A member of a C++ class
/// with a user-declared destructor is left to that destructor (silent).
std::optional<LeakPath> sourceLeftOnError(const CallExpr *Add,
                                          const FunctionDecl *FD,
                                          const ValueDecl *Id,
                                          const TimerModel &Model);

/// An Asio ticker whose handler re-arms whatever the error code says.
struct UnstoppableRearm {
  const CallExpr *Wait = nullptr;
  const CallExpr *Rearm = nullptr;
  TimerFramework Framework = TimerFramework::User;
  const ValueDecl *Timer = nullptr;
  /// Set when Wait is an `asio::post`/`defer`/`dispatch` in this function
  /// whose handler calls it again (a self re-posting chain, no timer).
  const FunctionDecl *Repost = nullptr;
};

/// The findings of one function (and its lambdas), in source-walk order.
struct TickerFindings {
  std::vector<TickerLoop> Loops;
  std::vector<UnstoppedArm> Arms;
  std::vector<UnremovedSource> Sources;
  std::vector<UnstoppableRearm> Rearms;
};

/// The ticker facts of one translation unit: the whole-TU indexes they need
/// are built on first use, and each timer is reported once.
class TickerFacts {
public:
  TickerFacts(ASTContext &Ctx, const TimerModel &Model,
              const TimerOptions &Opts);
  ~TickerFacts();

  /// Every finding in \p FD's body and lambdas.
  TickerFindings inFunction(const FunctionDecl *FD);
  /// \p Arm (an Arm call of \p Model) in \p Body (the innermost function
  /// body), inside \p Outer.
  std::optional<UnstoppedArm> unstoppedArm(const CallExpr *Arm,
                                           const Stmt *Body,
                                           const FunctionDecl *Outer);
  /// \p Add, a g_timeout_add* call.
  std::optional<UnremovedSource> unremovedSource(const CallExpr *Add,
                                                 const FunctionDecl *In);
  /// The same for a periodic timer known by an id (startTimer, a
  /// configured queue): its id discarded (for QObject::startTimer: only in
  /// an event handler -- the object's destructor kills its timers) or a
  /// member id overwritten while the old timer may run.
  std::optional<UnremovedSource>
  lostTimerId(const CallExpr *Add, const FunctionDecl *In, TimerFramework FW);
  /// An id kept in a local or member: reported unless something removes,
  /// hands off or may stop it (and once per variable).
  std::optional<UnremovedSource> keptButNeverRemoved(UnremovedSource F);
  /// A periodic libuv timer armed in a function that runs uv_run(), never
  /// stopped or closed, in a file that uv_close()s the loop's other handles:
  /// a shutdown that forgets it, so uv_run() never returns.
  std::optional<UnstoppedArm>
  loopKeptAlive(const CallExpr *Arm, const Stmt *Body, const FunctionDecl *FD);
  /// Whether a thread in this TU may be cancelled (pthread_cancel): a
  /// thread's endless loop is then not reported.
  bool threadsCancellable() { return index().usesPthreadCancel(); }

private:
  TimerUseIndex &index();
  bool mainLike(const FunctionDecl *FD, bool ArmsOnly);
  bool ownerMayStop(const ValueDecl *Key);
  bool livesForProcess(const CXXRecordDecl *RD);
  std::optional<UnstoppedArm> periodicArm(const CallExpr *Arm,
                                          const TimerCall &TC, const Stmt *Body,
                                          const FunctionDecl *Outer);
  void visitCall(const CallExpr *CE, const FunctionDecl *Inner,
                 const Stmt *InnerBody, const FunctionDecl *FD, bool Outer,
                 TickerFindings &Out);

  ASTContext &Ctx;
  const TimerModel &Model;
  const TimerOptions &Opts;
  NameMatcher Waits;
  std::unique_ptr<TimerUseIndex> Index;
  StaticInstanceIndex Statics;
  llvm::DenseMap<std::pair<const FunctionDecl *, unsigned>, bool> MainLike;
  /// Classes with an instance that lives as long as the process (built on
  /// first use, see livesForProcess).
  std::unique_ptr<llvm::DenseSet<const CXXRecordDecl *>> ProcessInstances;
  llvm::DenseSet<const ValueDecl *> ReportedKeys;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_TIMER_TICKERFACTS_H
