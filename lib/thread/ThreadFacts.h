//===--- ThreadFacts.h - leak-tidy ---------------------------------------===//
//
// The analyses behind leak-unjoined-thread, one per form of the check, each
// returning findings as data (what leaks, where it was started, the leaking
// path, the fix as data) for the check to word:
//  - threadObject: a local std::thread / boost::thread (form 1), with its
//    detached shapes (forms 5 and 6);
//  - spawnCall: a pthread_t / GThread * / uv_thread_t handle (form 3);
//  - qthreadStart: a local QThread or owned QThread * (form 3 for Qt);
//  - threadContainer: a local container of threads (form 2);
//  - threadMembers: the thread members of a class (form 4, ThreadMembers.h).
// The path search is the lifetime engine's, with ThreadHandleModel (see
// ThreadModel.h) saying what releases a thread and ThreadEdgeRules
// (ThreadPaths.h) answering its edge hooks: which edges hold no thread, which
// are unsure, which conditions are stable.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_THREAD_THREADFACTS_H
#define LEAK_TIDY_LIB_THREAD_THREADFACTS_H

#include "lib/core/LifetimeEngine.h"
#include "lib/thread/ThreadModel.h"
#include "clang/Basic/SourceLocation.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class CXXConstructExpr;
class CXXMemberCallExpr;
class CXXOperatorCallExpr;
class CXXRecordDecl;
class DeclRefExpr;
class FunctionDecl;
class NamedDecl;
namespace leaklib {

/// What a finding is about; each kind is one message of the check.
enum class ThreadLeak {
  Unjoined,       ///< a local thread or handle: Path leaves it unjoined
  StartedAgain,   ///< Path starts it again while the previous one runs
  QThreadRunning, ///< a local QThread object destroyed while running (Path)
  QThreadLeaked,  ///< an owned QThread * never waited for or deleted (Path)
  DroppedHandle,  ///< g_thread_new(...) whose handle is thrown away
  ContainerNeverJoined,    ///< threads added to a local container, no join
  ContainerUnjoinedOnPath, ///< the container's joins are skipped on Path
  DetachedPerTurn,         ///< form 6: one detached thread per loop turn
  DetachedEndless,         ///< form 5: a detached thread that never ends
  MemberNotJoined,         ///< form 4: the destructor never joins it
  MemberRestarted,         ///< form 4: move-assigned while joinable (Path
                           ///< from the function's entry, when searched)
  MemberDeletedJoinable,   ///< form 4: a heap thread member deleted while
                           ///< joinable (Path from the function's entry)
  MemberElementsDestroyed, ///< form 4: container elements destroyed joinable
  ArrayNotAllJoined,       ///< form 3: an array of C handles, some left
                           ///< unjoined on Path
  MemberOutlivesOwner,     ///< form 4: a member whose destructor detaches
                           ///< (boost::thread) runs a loop that never ends
  MemberGuardedJoin,       ///< form 4: the teardown joins only if a flag
                           ///< is set, and the flag can be clear while the
                           ///< thread is joinable (Path: entry to end)
};

struct ThreadFinding {
  ThreadLeak Kind = ThreadLeak::Unjoined;
  /// Where the warning goes.
  SourceLocation Loc;
  /// The local, container or member holding the thread (null for a spawn
  /// whose handle is not kept).
  const NamedDecl *Thread = nullptr;
  /// Destroying it while joinable calls std::terminate (std::thread) rather
  /// than detaching it (boost::thread's default).
  bool Terminates = false;
  /// A C handle (pthread_t, GThread *, uv_thread_t) started by Spawn.
  bool CHandle = false;
  /// A QThread * (QThread*), a container member (Member*).
  bool Pointer = false;
  bool IsContainer = false;
  /// A map of threads (std::map<Id, std::thread>): elements are pairs.
  bool Keyed = false;
  /// The C function that started the thread; DroppedHandle: HandleType is
  /// the type of the handle thrown away.
  std::string Spawn, HandleType;
  /// The leaking path, in program order (path kinds only).
  LeakPath Path;
  /// Where the thread was started or added (kinds without a path).
  SourceLocation Started;
  /// Detached*: the loop, and the detach when apart from the start.
  SourceLocation Loop, DetachedAt;
  /// DetachedEndless: the unbounded loop that starts one such thread on
  /// every turn (form 6 folded into form 5), if any.
  SourceLocation PerTurnLoop;
  /// Member*: the class, the method starting the member, and a join the
  /// destructor does not reach (MemberNotJoined).
  const CXXRecordDecl *Record = nullptr;
  const FunctionDecl *StartedIn = nullptr;
  SourceLocation JoinedAt;
  const FunctionDecl *JoinedIn = nullptr;
  /// Member* with project facts, when another translation unit starts the
  /// member: the method, in words ("the constructor", "'Pool::start'";
  /// StartedIn is then null), and
  /// Started is in that TU's file (or invalid: StartedFile names it).
  std::string StartedInName, StartedFile;
  /// MemberNotJoined with project facts: the method of another translation
  /// unit that the verdict rests on (the destructor, or a method it calls),
  /// which does not join the member; NotJoinedAt is in its file (or invalid:
  /// NotJoinedFile names it).
  std::string NotJoinedIn, NotJoinedFile;
  SourceLocation NotJoinedAt;
  bool NotJoinedInDestructor = false;
  /// ArrayNotAllJoined: Path takes the failure branch of the spawn here (a
  /// later turn of the start loop fails; the earlier threads still run).
  SourceLocation FailedSpawnAt;
  /// MemberGuardedJoin: the flag guarding the join (Guard, tested at Loc
  /// in GuardIn), and why it can be clear while the thread is joinable: the
  /// worker clears it at FlagClearedAt (FlagClearedByWorker), or a start in
  /// FlagClearedIn returns there before setting it.
  const NamedDecl *Guard = nullptr;
  const FunctionDecl *GuardIn = nullptr;
  SourceLocation FlagClearedAt;
  const FunctionDecl *FlagClearedIn = nullptr;
  bool FlagClearedByWorker = false;
  /// The flag's value on Path (false: clear), which skips the join.
  bool FlagValue = false;
  /// The `std::thread` spelling to replace by `std::jthread` when that is
  /// equivalent or safer (C++20, only ever joined, a body that finishes).
  std::optional<CharSourceRange> JThreadFix;
};

using ThreadFindings = llvm::SmallVector<ThreadFinding, 2>;

/// How a thread construction is used: the local it initializes, the
/// temporary `.detach()`ed, or the local it is assigned to.
struct StartContext {
  const VarDecl *Var = nullptr;
  const CXXMemberCallExpr *Detach = nullptr;
  const CXXOperatorCallExpr *Assign = nullptr;
};
StartContext startContext(const Expr *Start, ASTContext &Ctx,
                          const ThreadApi &Api);

/// Whether every call of \p FD returns a thread it started and nobody else
/// holds (FunctionSummaries::returnsFresh): `return std::thread(f);`, a
/// local `std::thread t(f)` or `pthread_t t` started with
/// `pthread_create(&t, nullptr, ...)` that is only returned, a GThread *
/// from g_thread_new, or the result of another such function. The caller
/// then holds the thread.
bool returnsFreshThread(const FunctionDecl *FD, const ThreadApi &Api);

/// Project facts (ThreadFunctionFacts.cpp): whether \p FD returns or takes
/// a thread (its summary is exported when defined in the main file).
bool exportsThreadSummary(const FunctionDecl *FD, const ThreadApi &Api);
/// Adds the `function` fact of \p FD ("family":"thread": returns_fresh,
/// releases_param) when another TU can call it.
void exportThreadSummary(const FunctionDecl *FD, const ThreadApi &Api);
/// \p FD, declared in the project but defined in another TU, returns a
/// fresh thread according to that TU's facts.
bool freshThreadElsewhere(const FunctionDecl *FD, const ThreadApi &Api);
/// \p FD, defined in another TU, joins or detaches its thread parameter
/// \p I according to that TU's facts.
bool releasesParamElsewhere(const FunctionDecl *FD, unsigned I,
                            const ThreadApi &Api);

/// Whether \p T is a thread type or a C thread handle (pthread_t,
/// uv_thread_t, GThread *): what a function returning a fresh thread
/// returns.
bool isThreadHandleType(QualType T, const ThreadApi &Api);

/// Whether the handle \p Call (a C spawn or a function returning a fresh
/// handle) returns is thrown away (`g_thread_new(...);`, a cast to void):
/// then adds the DroppedHandle finding to \p Out.
bool droppedHandle(const CallExpr *Call, ParentMap &PM, ThreadFindings &Out);

/// Form 3 for an array of C handles: \p Spawn starts into `&A[i]` of a
/// local array `A` of \p FD in a counted loop. Adds ArrayNotAllJoined when
/// a path from the spawn to the end of A's scope passes no join (or detach)
/// loop covering the start loop's range to its end (a smaller range, a
/// break or return out of it, no such loop). Returns false when the spawn
/// is not into an element of a local array (nothing decided); stays silent
/// on arrays handed off, elements overwritten or passed to other
/// functions, loops we cannot read, and main().
bool arrayFindings(const CallExpr *Spawn, const FunctionDecl *FD,
                   FunctionCFG &F, const ThreadApi &Api, ThreadFindings &Out);

/// The first use of \p V in \p Body that detaches it, or null.
const Stmt *findDetach(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                       const ThreadApi &Api);

/// Whether a lambda in \p Body captures \p V, or \p Pred accepts a
/// reference to \p V in it (lambdas entered).
bool anyUseOf(const VarDecl *V, const Stmt *Body,
              llvm::function_ref<bool(const DeclRefExpr *)> Pred);

/// Whether every use of \p V in \p Body only joins it or reads it: never
/// detached, moved, stored or handed off (for the std::jthread fix-it).
bool onlyJoined(const VarDecl *V, const Stmt *Body, ParentMap &PM,
                const ThreadApi &Api);

/// The analyses, with the options and the caches of one translation unit.
class ThreadFacts {
public:
  explicit ThreadFacts(const ThreadOptions &Options)
      : Options(Options), Api(Options) {}
  const ThreadApi &api() const { return Api; }
  /// Forgets what the previous translation unit cached.
  void reset() { ThrowCache.clear(); }

  /// Form 1 (and forms 5, 6 when detached): the thread started by \p Ctor
  /// in \p FD.
  ThreadFindings threadObject(const CXXConstructExpr *Ctor,
                              const FunctionDecl *FD, ASTContext &Ctx);
  /// Form 3: the handle of the C spawn \p Call in \p FD.
  ThreadFindings spawnCall(const CallExpr *Call, const FunctionDecl *FD,
                           ASTContext &Ctx);
  /// Forms 1 and 3 for a thread returned by \p Call to a function that
  /// returns a fresh one (returnsFreshThread): `pthread_t t = spawn();`,
  /// `std::thread t = make_worker();`.
  ThreadFindings freshCall(const CallExpr *Call, const FunctionDecl *FD,
                           ASTContext &Ctx);
  /// Forms 5 and 6 in a template's pattern, where the start of a thread is
  /// dependent (`std::thread([this] { ... }).detach()` in a class
  /// template): \p Start is the CXXUnresolvedConstructExpr or the local
  /// whose initializer is a ParenListExpr. Only the detached forms: paths
  /// through dependent code are not followed.
  ThreadFindings dependentStart(const Expr *Start, const VarDecl *Var,
                                const FunctionDecl *FD, ASTContext &Ctx);
  /// Form 3 for Qt: `t.start()` / `t->start()` on a local QThread.
  ThreadFindings qthreadStart(const CXXMemberCallExpr *Start,
                              const FunctionDecl *FD, ASTContext &Ctx);
  /// Form 2: the local container of threads \p V of \p FD.
  ThreadFindings threadContainer(const VarDecl *V, const FunctionDecl *FD,
                                 ASTContext &Ctx);
  /// Form 4: the thread members of \p RD.
  ThreadFindings threadMembers(const CXXRecordDecl *RD);

private:
  /// One local thread or handle for the lifetime engine.
  struct Handle {
    const Stmt *Acquire;
    const VarDecl *Holder;
    const FunctionDecl *FD;
    const CXXRecordDecl *ThreadType; ///< null: a C handle started by Spawn
    std::string Spawn;
    /// Returned by a function (freshCall): its result tells no failure.
    bool Fresh = false;
  };
  void handlePath(const Handle &H, ASTContext &Ctx, ThreadFindings &Out);
  ThreadFindings dependentDetached(const Expr *Start, const VarDecl *Var,
                                   const FunctionDecl *FD, ASTContext &Ctx);
  std::optional<CharSourceRange> jthreadFix(const Handle &H, ASTContext &Ctx);
  void detached(const Stmt *Spawn, const Stmt *DetachSite, const Expr *Callable,
                const FunctionDecl *FD, ASTContext &Ctx, ThreadFindings &Out);
  ThreadOptions Options;
  ThreadApi Api;
  llvm::DenseMap<const FunctionDecl *, bool> ThrowCache;
};

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADFACTS_H
