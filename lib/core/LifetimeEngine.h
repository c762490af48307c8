//===--- LifetimeEngine.h - leak-tidy ------------------------------------===//
//
// The shared lifetime (typestate) engine: from the statement that acquires a
// resource (starts a thread, arms a timer, opens a channel), is there a path
// through the function's CFG to the end of the holder's scope, or to the end
// of the function, on which the resource is neither released nor handed off?
//
// The search is a breadth-first walk over CFG blocks in the "still held"
// state, so each block is visited at most once per query (linear cost) and
// the path found is a shortest one, which makes the notes short. The client
// says what releases and what escapes through a ResourceModel; findings come
// back through a LifetimeHandler with the path, never as diagnostics.
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
#include <string>
#include <vector>

namespace clang {
class Stmt;
class VarDecl;
namespace leaklib {

/// What a client tells the engine about one tracked resource.
class ResourceModel {
public:
  enum Effect {
    NoEffect, ///< the resource is still held after this statement
    Releases, ///< joined / stopped / closed / freed: the path is fine
    Escapes,  ///< handed off (moved, stored, returned, passed on): not ours
  };
  virtual ~ResourceModel();
  /// Classifies one CFG statement element met while the resource is held.
  virtual Effect effectOf(const Stmt *S) = 0;
  /// Whether \p S, met while the resource is held, may throw. The default
  /// (mayThrowDefault) says yes for calls and constructions of functions that
  /// are not noexcept, not extern "C", and not destructors.
  virtual bool mayThrow(const Stmt *S);
};

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

/// Handler interface: one callback per kind of finding.
class LifetimeHandler {
public:
  virtual ~LifetimeHandler();
  /// The holder's scope (or the function) ends on this path while held.
  virtual void unreleasedAtExit(const LeakPath &P) {}
  /// An exception (a throw, or a call that may throw) leaves while held.
  virtual void unreleasedOnException(const LeakPath &P) {}
  /// The acquisition runs again (a loop) while the previous one is held.
  virtual void reacquiredWhileHeld(const LeakPath &P) {}
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
  /// Report a path that loops back to the acquisition while held.
  bool ReportReacquire = true;
  /// Budget of CFG elements visited for this query; past it: GaveUp.
  unsigned MaxVisits = 200000;
};

enum class LifetimeResult { Released, Leaked, GaveUp };

/// Runs one query. Calls exactly one handler callback when it returns Leaked.
LifetimeResult analyzeLifetime(FunctionCFG &F, const LifetimeQuery &Q,
                               ResourceModel &Model, LifetimeHandler &Handler);

/// Words for a step, for notes: "taking the true branch", "the loop exits",
/// "early return", ... Never empty.
std::string describeStep(const PathStep &Step);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_LIFETIMEENGINE_H
