//===--- LifetimeEngine.h - leak-tidy ------------------------------------===//
//
// The shared lifetime (typestate) engine: from the statement that acquires a
// resource (starts a thread, arms a timer, opens a channel), is there a path
// through the function's CFG to the end of the holder's scope, or to the end
// of the function, on which the resource is neither released nor handed off?
//
// The search is a breadth-first walk over CFG blocks in the "still held"
// state, so each block is visited at most once per query and path state
// (linear cost without path state) and the path found is a shortest one,
// which makes the notes short. The client says what releases, escapes or
// adopts the resource, and which branch edges hold nothing or cannot be
// taken, through a ResourceModel; the answer is a LifetimeResult with the
// path, never a diagnostic.
//
// Path state (bounded, part of the visited key): up to four stable `if`
// conditions whose value the path knows (ResourceModel::isStableCondition),
// the local owner after an adoption (ResourceModel::adopts), and whether
// the path passed an Unsure edge.
//
// Exceptions: a `throw` in the function is always a path. With
// AnalyzeExceptionPaths, so is every call that may throw (not noexcept, not a
// C function) met while the resource is held; it is followed into the catch
// handlers of an enclosing try inside the holder's scope, otherwise it leaves
// the scope. Exception paths are searched only when no ordinary path leaks,
// so each acquisition gets at most one finding.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_LIFETIMEENGINE_H
#define LEAK_TIDY_LIB_CORE_LIFETIMEENGINE_H

#include "lib/core/FunctionCFG.h"
#include "clang/Basic/SourceLocation.h"
#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class Expr;
class ParentMap;
class Stmt;
class ValueDecl;
class VarDecl;
namespace leaklib {

/// How the acquisition reports its own failure through its result (the call
/// itself, or the variable it initialises or is assigned to).
enum class FailureConvention {
  None,          ///< no failure test is recognised
  NullPointer,   ///< a null pointer: `if (!h)`, `if (p == nullptr)`
  NegativeValue, ///< a negative value: `if (fd < 0)`, `if (fd == -1)`
  NonZeroStatus, ///< a non-zero status: `if (rc)`, `if (create(...) != 0)`
};

/// One edge out of a branching block that the search is about to follow.
struct BranchEdge {
  const CFGBlock *From = nullptr;
  const CFGBlock *To = nullptr;
  const Stmt *Terminator = nullptr; ///< if / ?: / && / || / loop / switch
  /// The branch condition: the whole condition of an `if` (also for the
  /// blocks of its && / || parts), the left side of a && / || terminator.
  const Expr *Condition = nullptr;
  unsigned Successor = 0; ///< 0: the true edge (as PathStep::Successor)
  /// From the query: the acquisition, the variable holding its result (or
  /// null) and how it reports failure.
  const Stmt *Acquire = nullptr;
  const ValueDecl *Result = nullptr;
  FailureConvention Failure = FailureConvention::None;
  ASTContext *Ctx = nullptr;
};

/// What the model says about one branch edge.
enum class EdgeVerdict {
  Follow,     ///< an ordinary edge
  NotHeld,    ///< taken only when the acquisition failed: nothing is held,
              ///< the path ends without a leak
  Infeasible, ///< cannot be taken on this path: pruned, other paths go on
  Unsure,     ///< followed, but a leak found past it is only a maybe: the
              ///< query answers GaveUp unless a path without such an edge
              ///< leaks too
};

/// What a client tells the engine about one tracked resource.
class ResourceModel {
public:
  enum Effect {
    NoEffect, ///< the resource is still held after this statement
    Releases, ///< joined / stopped / closed / freed: the path is fine
    Escapes,  ///< handed off (moved, stored, returned, passed on): not ours
    /// Releases every held instance (delete every element of the container
    /// the instances go to, then clear it). In the forward search this is a
    /// Releases; releasedBeforeEveryPath() looks for it before a refill.
    ReleasesAll,
    /// After an adoption (see adopts()): the owner gives the resource back
    /// (`unique_ptr::release()`, a guard's `dismiss()`); the holder holds it
    /// again. NoEffect while not adopted.
    Disowns,
  };
  virtual ~ResourceModel();
  /// Classifies one CFG statement element met while the resource is held.
  virtual Effect effectOf(const Stmt *S) = 0;
  /// Whether \p S, met while the resource is held, may throw. The default
  /// (mayThrowDefault) says yes for calls and constructions of functions that
  /// are not noexcept, not extern "C", and not destructors.
  virtual bool mayThrow(const Stmt *S);
  /// The verdict on a branch edge (asked before the engine's own
  /// correlation of stable conditions). The default is
  /// defaultEdgeVerdict: NotHeld on the acquisition's own failure edge when
  /// the query gives a FailureConvention, else Follow.
  virtual EdgeVerdict edgeVerdict(const BranchEdge &E);
  /// The local object \p S hands the resource to, whose destructor releases
  /// it (`UniqueFd g(fd)`, `std::unique_ptr<FILE, D> p(f, fclose)`, a scope
  /// guard capturing it), or null. Asked before effectOf. The engine accepts
  /// only a local with automatic storage (otherwise the statement Escapes),
  /// then goes on with the owner holding the resource: the owner's
  /// destructor / lifetime end releases it, the holder's scope end, an
  /// exception and a re-acquisition are no leak, effectOf may say Disowns.
  virtual const VarDecl *adopts(const Stmt *S);
  /// Whether \p Cond (an `if` condition) has the same value each time it is
  /// evaluated in this function (reads only locals nothing changes). The
  /// engine then remembers the branch taken on \p Cond -- and the `if`s
  /// around the acquisition -- and prunes the contradicting edge of a later
  /// `if` on the same condition. Default: false (nothing remembered).
  virtual bool isStableCondition(const Expr *Cond);
};

/// The default edge verdict: NotHeld when \p E is taken only if the
/// acquisition failed (by E.Failure, testing the acquisition itself, an
/// assignment from it, or E.Result against 0, null or a constant), else
/// Follow.
EdgeVerdict defaultEdgeVerdict(const BranchEdge &E);

/// The value of \p Cond that only a failed acquisition gives, when \p Cond
/// tests the acquisition's result (E.Acquire itself, an assignment from
/// it, or E.Result; `!` peeled) against a constant or null under
/// E.Failure: true for `fd < 0`, false for `fd >= 0`; none for `fd > 0`
/// under NegativeValue (0 is a valid descriptor) or for any other test.
/// For models that override edgeVerdict and still want the default test.
std::optional<bool> failureValue(const Expr *Cond, const BranchEdge &E);

/// The variable the acquisition \p Acquire initialises (`int fd = open()`,
/// `if (int rc = f())`) or is assigned to (`rc = f()`), or null.
const ValueDecl *acquisitionResult(const Stmt *Acquire, ParentMap &PM);

/// The default may-throw test used by ResourceModel::mayThrow.
bool mayThrowDefault(const Stmt *S);

/// One step of a leaking path, in program order.
struct PathStep {
  enum Kind {
    Acquire, ///< the acquisition
    Branch,  ///< a condition, with the successor the path takes
    Return,  ///< a return statement on the path
    Break,   ///< break / continue / goto leaving the scope
    Continue,
    Goto,
    Throw,       ///< a throw expression
    MayThrow,    ///< a call that may throw (exception paths only)
    Handler,     ///< entering a catch handler
    ScopeEnd,    ///< the holder's scope ends here, resource still held
    FunctionEnd, ///< the function ends here, resource still held
    Reacquire,   ///< the acquisition runs again while the resource is held
  };
  Kind K;
  const Stmt *S = nullptr;
  SourceLocation Loc;
  /// For Branch: index of the successor taken (0 is the "true" edge of
  /// if/while/for/?:/&&/||; for switch, the case's label is in Label).
  unsigned Successor = 0;
  const Stmt *Label = nullptr;
};

struct LeakPath {
  enum ExitKind { AtScopeEnd, AtFunctionEnd, OnThrow, OnMayThrow, OnReacquire };
  ExitKind Exit = AtScopeEnd;
  std::vector<PathStep> Steps;
  /// The step that makes the path leave (return/break/throw/...), if any;
  /// otherwise the final ScopeEnd/FunctionEnd step.
  const PathStep *leavingStep() const;
  const PathStep &last() const { return Steps.back(); }
};

struct LifetimeQuery {
  /// The CFG element that acquires the resource (e.g. the CXXConstructExpr of
  /// a std::thread, the pthread_create call).
  const Stmt *Acquire = nullptr;
  /// The local variable whose scope bounds the resource: its destructor or
  /// lifetime end is where a still-held resource leaks. Null: the function's
  /// end is the bound.
  const VarDecl *Holder = nullptr;
  bool AnalyzeExceptionPaths = false;
  /// An exception that leaves the function ends the process anyway
  /// (std::terminate): set for main() and noexcept functions. Such paths are
  /// then no leak; an exception caught inside the function after the
  /// holder's scope has ended still is.
  bool EscapingExceptionsTerminate = false;
  /// A call that may throw, whose exception would leave the function, is no
  /// path: nothing in sight catches it (the program model's exception fate
  /// is not Caught). Such an exception caught inside the function after the
  /// holder's scope has ended still is a path.
  bool EscapingMayThrowTerminate = false;
  /// Report a path that loops back to the acquisition while held.
  bool ReportReacquire = true;
  /// Budget of CFG elements visited for this query; past it: GaveUp.
  unsigned MaxVisits = 200000;
  /// How the acquisition reports failure, for defaultEdgeVerdict.
  FailureConvention Failure = FailureConvention::None;
  /// The variable holding the acquisition's result; null: found by
  /// acquisitionResult.
  const ValueDecl *Result = nullptr;
};

/// The answer to one query.
struct LifetimeResult {
  enum Outcome {
    Released, ///< no path leaks (released, handed off, adopted, pruned)
    Leaked,   ///< Path holds the shortest leaking path found
    GaveUp,   ///< over budget, no CFG element, or only Unsure paths leak
  };
  Outcome K = GaveUp;
  /// Set when K is Leaked; Path->Exit says how it leaves.
  std::optional<LeakPath> Path;

  bool operator==(Outcome O) const { return K == O; }
  bool operator!=(Outcome O) const { return K != O; }
  bool leaked() const { return K == Leaked; }
};

/// Runs one query. \p Q.Acquire is a CFG element (the search starts after
/// it) or a terminator statement (if/while/... : the search starts on the
/// edges out of its block, and a path coming back to that block ends).
LifetimeResult analyzeLifetime(FunctionCFG &F, const LifetimeQuery &Q,
                               ResourceModel &Model);

/// The resource is already held when the function starts (a member that
/// another function started): is there a path from the function's entry to
/// \p Target (a CFG element that acquires it again, or destroys it) on
/// which no statement releases or hands it off (Model.effectOf)? Leaked:
/// Path has no Acquire step and ends with a Reacquire step at \p Target
/// (Exit OnReacquire); reaching the function's end is no leak. Edge
/// verdicts apply as in analyzeLifetime (NotHeld and Infeasible prune, a
/// path only past Unsure edges gives GaveUp); exception paths are not
/// searched.
LifetimeResult reachedWhileHeld(FunctionCFG &F, const Stmt *Target,
                                ResourceModel &Model,
                                unsigned MaxVisits = 200000);

/// The resource is already held when the function starts and must be
/// released before it ends (a destructor, or the stop() that tears a member
/// down): is there a path from the function's entry to its end on which no
/// statement releases or hands it off (Model.effectOf)? Leaked: Path has no
/// Acquire step and ends with a FunctionEnd step (Exit AtFunctionEnd). Edge
/// verdicts apply as in analyzeLifetime; exception paths are not searched.
LifetimeResult heldAtFunctionEnd(FunctionCFG &F, ResourceModel &Model,
                                 unsigned MaxVisits = 200000);

/// Whether every path from the function's entry to \p Target (a CFG
/// element) passes a statement \p Model marks ReleasesAll -- e.g. each
/// element of a container deleted and the container cleared before the
/// loop that refills it. Statements marked Releases or Escapes do not
/// count; Target itself is not looked at. GaveUp past the budget or when
/// Target is no CFG element.
enum class ReleasedBefore { Always, NotAlways, GaveUp };
ReleasedBefore releasedBeforeEveryPath(FunctionCFG &F, const Stmt *Target,
                                       ResourceModel &Model,
                                       unsigned MaxVisits = 200000);

/// Words for a step, for notes: "taking the true branch", "the loop exits",
/// "early return", ... Never empty.
std::string describeStep(const PathStep &Step);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_LIFETIMEENGINE_H
