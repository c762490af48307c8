//===--- ThreadModel.h - leak-tidy ---------------------------------------===//
//
// The thread API model used by leak-unjoined-thread: which objects are
// threads (std::thread, boost::thread, QThread), which C handles are
// (pthread_t, GThread *, uv_thread_t), and what one use of a thread, a
// handle or a container of threads does to it (joins, detaches, hands it
// off). Configured by one options struct, ThreadOptions, whose defaults()
// are the option defaults of the check.
//
// Everything here looks at one expression (walking up its parents at most);
// the analyses built on it are in ThreadFacts.h. Nothing includes clang-tidy,
// so it is unit-testable.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_THREAD_THREADMODEL_H
#define LEAK_TIDY_LIB_THREAD_THREADMODEL_H

#include "lib/core/LifetimeEngine.h"
#include "lib/core/NameMatcher.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CXXConstructExpr;
class CXXRecordDecl;
class CallExpr;
class Expr;
class FunctionDecl;
class ParentMap;
class QualType;
class Stmt;
class ValueDecl;
class VarDecl;
namespace leaklib {
class ThreadEdgeRules;

/// Every option of leak-unjoined-thread, as validated lists and flags.
struct ThreadOptions {
  std::vector<std::string> ThreadTypes;
  std::vector<std::string> JoinMethods;
  std::vector<std::string> DetachMethods;
  std::vector<std::string> SpawnFunctions;
  std::vector<std::string> SpawnReturningFunctions;
  std::vector<std::string> JoinFunctions;
  std::vector<std::string> DetachFunctions;
  std::vector<std::string> NonThrowingFunctions;
  std::vector<std::string> QThreadTypes;
  std::vector<std::string> WaitFunctions;
  bool AnalyzeExceptionPaths = true;
  bool RequireJoinInDestructor = false;
  /// Form 6: also report one detached thread per turn of an unbounded loop
  /// when its body is not known never to finish (thread per connection).
  bool ReportDetachedThreadsPerTurn = false;
  /// The defaults of every option (the one place they are written).
  static ThreadOptions defaults();
};

/// The names that make up the model, as matchers.
struct ThreadApi {
  ThreadApi() = default;
  explicit ThreadApi(const ThreadOptions &O);
  NameMatcher ThreadTypes;             ///< std::thread, boost::thread
  llvm::StringSet<> JoinMethods;       ///< join, try_join_for, ...
  llvm::StringSet<> DetachMethods;     ///< detach
  NameMatcher SpawnFunctions;          ///< handle = *first argument
  NameMatcher SpawnReturningFunctions; ///< handle = the returned pointer
  NameMatcher JoinFunctions;           ///< handle (or &handle) = first argument
  NameMatcher DetachFunctions;         ///< handle (or &handle) = first argument
  NameMatcher NonThrowingFunctions;    ///< not may-throw for exception paths
  NameMatcher QThreadTypes;  ///< QThread (and classes derived from it)
  NameMatcher WaitFunctions; ///< a loop calling one each turn is periodic
};

/// Whether \p T (after references and sugar) is one of the thread types.
const CXXRecordDecl *threadRecord(QualType T, const ThreadApi &Api);

/// Whether \p RD is one of the QThread types or derives from one.
bool isQThreadClass(const CXXRecordDecl *RD, const ThreadApi &Api);

/// Whether destroying a joinable \p Thread calls std::terminate (std::thread;
/// boost::thread with BOOST_THREAD_VERSION >= 3), as opposed to detaching it
/// (boost::thread's default). Read from the destructor's body when visible.
bool destructorTerminates(const CXXRecordDecl *Thread);

/// The element type when \p T is a standard-like container of threads
/// (vector<std::thread>, list<boost::thread>, ...), or the mapped type of a
/// map of threads (std::map<Id, std::thread>, unordered_map), else null.
const CXXRecordDecl *threadContainerElement(QualType T, const ThreadApi &Api);

/// Whether \p T is a std::map, multimap, unordered_map or
/// unordered_multimap (of anything).
bool isMapContainer(QualType T);

/// The construction of a running thread (a thread type, a callable, not a
/// copy or move) that \p E is, through temporaries and elided moves.
const CXXConstructExpr *threadStart(const Expr *E, const ThreadApi &Api);

/// A non-static local that is not a parameter or a reference.
bool isPlainLocal(const VarDecl *V);

/// What one use of a tracked thread or handle does to it.
enum class HandleEffect { None, Joins, Detaches, Escapes };

/// Classifies the DeclRefExpr \p Ref to the tracked handle by walking up its
/// parents: a join/detach method or function releases it; moving, storing,
/// returning, passing to an unknown function, taking its address for
/// anything but a join/detach function hands it off (Escapes). joinable()
/// counts as Joins: code that tests joinability manages the thread
/// (precision first).
HandleEffect classifyHandleRef(const Expr *Ref, ParentMap &PM,
                               const ThreadApi &Api);

/// What passing a thread or handle as argument \p I of \p FD does to it:
/// Joins or Detaches when FD's body joins or detaches that parameter on
/// every call (FunctionSummaries::releasesParam: `p.join()`, pthread_join(p),
/// `if (p.joinable()) p.join();`, or a callee that does, a few calls deep);
/// Escapes otherwise (FD takes it over, or we cannot see FD's body).
HandleEffect calleeEffectOnParam(const FunctionDecl *FD, unsigned I,
                                 const ThreadApi &Api);

/// What one use of a container of threads does to its threads.
enum class ThreadContainerUse {
  None,     ///< size(), empty(), reserve(), ...: nothing
  Adds,     ///< push_back / emplace_back / emplace / insert / push_front
  Destroys, ///< clear / erase / pop_back / pop_front: destroys elements
  Handles,  ///< anything else: element access, iteration, hand-off --
            ///< the elements may be joined through it (precision first)
};
ThreadContainerUse classifyContainerRef(const Expr *Ref, ParentMap &PM);

/// Whether \p S (anywhere under it, lambdas included) calls a join/detach
/// method on a thread that is not a plain local thread variable -- i.e. on a
/// container element reached through a reference, iterator or subscript --
/// or names a join/detach method (std::mem_fn(&std::thread::join)).
bool joinsSomeElement(const Stmt *S, const ThreadApi &Api);

/// Like classifyHandleRef, for a local QThread object or QThread pointer:
/// wait() joins; quit(), exit(), requestInterruption(), isRunning() and the
/// other accessors do nothing; any other use (moveToThread(&t), connect(t,
/// ...), delete t, storing or passing it) hands it off.
HandleEffect classifyQThreadRef(const Expr *Ref, ParentMap &PM);

/// Whether the initializer of a QThread pointer makes a thread nobody else
/// owns: `new QThread` without a parent, or `QThread::create(...)`.
bool ownsNewQThread(const Expr *Init, ASTContext &Ctx);

/// The variable the result of \p Call is stored in: `T v = call(...)` or
/// `v = call(...)`; null otherwise.
const VarDecl *resultVariable(const CallExpr *Call, ParentMap &PM);

/// The ResourceModel for one local thread object or C handle: releases at
/// join/detach, escapes at any hand-off, and may-throw per the default rule
/// minus NonThrowingFunctions.
class ThreadHandleModel : public ResourceModel {
public:
  ThreadHandleModel(const VarDecl *Handle, ParentMap &PM, const ThreadApi &Api)
      : Handle(Handle), PM(PM), Api(Api) {}
  Effect effectOf(const Stmt *S) override;
  bool mayThrow(const Stmt *S) override;
  EdgeVerdict edgeVerdict(const BranchEdge &E) override;
  bool isStableCondition(const Expr *Cond) override;
  /// The spawn's failure edges, unreadable tests of its result and stable
  /// guards (ThreadPaths.h); null: the engine's defaults.
  ThreadEdgeRules *Edges = nullptr;
  /// Shared across queries: whether a function whose body is visible can
  /// throw (a throw in it, or a call that may throw, a few calls deep).
  llvm::DenseMap<const FunctionDecl *, bool> *ThrowCache = nullptr;
  /// The handle is a QThread (object or pointer): see classifyQThreadRef.
  bool QtThread = false;
  /// The acquisition: a use of the handle inside it (pthread_create(&t),
  /// t = std::thread(f)) met again on a loop is no hand-off -- the engine
  /// reports the re-acquisition itself.
  const Stmt *Acquire = nullptr;

private:
  bool bodyMayThrow(const FunctionDecl *FD, unsigned Depth);
  bool callMayThrow(const Stmt *S, unsigned Depth);
  const VarDecl *Handle;
  ParentMap &PM;
  const ThreadApi &Api;
};

/// The lifetime model of a local container of threads: adding threads keeps
/// them held; any other use may join them (precision first).
class ThreadContainerModel : public ResourceModel {
public:
  ThreadContainerModel(const VarDecl *V, ParentMap &PM) : V(V), PM(PM) {}
  Effect effectOf(const Stmt *S) override;

private:
  const VarDecl *V;
  ParentMap &PM;
};

/// For `pthread_create(&t, &attr, ...)`: whether \p Attr (the second
/// argument) is known to request a detached thread, i.e. the function body
/// \p Body calls pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED)
/// on the same local. Returns Unknown when the attributes come from
/// elsewhere or the state is not a constant.
enum class AttrDetach { Joinable, Detached, Unknown };
AttrDetach attrDetachState(const Expr *Attr, const Stmt *Body, ASTContext &Ctx);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_THREAD_THREADMODEL_H
