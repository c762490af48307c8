//===--- ChannelCounting.h - leak-tidy -----------------------------------===//
//
// Counting channel traffic in one function body, structurally (no CFG):
// how many values the senders started before each exit of the function
// will send, and how many values the function is sure to receive on every
// path to that exit. Constant-trip loops multiply their body's counts. A
// loop of run-time trip count may only start senders (they are listed per
// iteration, uncounted) or only receive (the exits after it know only the
// least number received); any other event the walk cannot count exactly (a
// start under a condition, a start and a receive in the same loop of unknown
// trip count, a goto, ...) makes the walk give up, so that the check stays
// silent.
//
// The client says what each statement does through a classifier callback;
// the walk calls it on every statement and expression (pre-order, not into
// lambdas) and does not descend into a statement that is an event.
//
// A `throw` outside any try statement of the body is an exit (Throws); a
// statement classified EndsProcess ends its path without an exit.
//
// Beside it, the reader's way out (reachesScopeEndWithout): a question put
// to the LifetimeEngine, which stays the only search over CFG paths.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELCOUNTING_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELCOUNTING_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <vector>

namespace clang {
class ASTContext;
class Stmt;
class VarDecl;
namespace leaklib {

/// A count that saturates at Infinite ("receives until the channel is
/// closed", e.g. a range-for over a Boost.Fiber channel).
constexpr uint64_t InfiniteCount = uint64_t(1) << 40;

struct ChannelEvent {
  enum Kind {
    None,        ///< not an event: the walk looks inside
    Start,       ///< starts a sender that will send Count values
    Send,        ///< a send made by the walked body itself (Count = 1)
    Receive,     ///< a blocking receive (one value)
    TryReceive,  ///< a receive that may get nothing (counts 0)
    Drain,       ///< receives until the channel is closed (infinite)
    Close,       ///< closes the channel
    Opaque,      ///< something the walk cannot count: give up
    EndsProcess, ///< never returns (exit, abort, ...): the path ends here
  };
  Kind K = None;
  uint64_t Count = 1;
  /// For Start: how many senders it starts (each sending Count / Senders).
  uint64_t Senders = 1;
};

using ChannelClassifier = llvm::function_ref<ChannelEvent(const Stmt *)>;

/// One way out of the walked body, with the counts on the way there.
struct CountedExit {
  /// The ReturnStmt, the CXXThrowExpr, or null for the body's end.
  const Stmt *At = nullptr;
  /// An exception thrown here leaves the body (a throw outside any try).
  bool Throws = false;
  uint64_t Sent = 0;     ///< values sent by starts/sends before it
  uint64_t Senders = 0;  ///< senders started before it
  uint64_t Received = 0; ///< least number of values received before it
  bool Closed = false;   ///< closed on every path to it
  /// The starts before it, with the number of senders each accounts for
  /// (a start in a constant loop of 3 trips: 3).
  llvm::SmallVector<std::pair<const Stmt *, uint64_t>, 4> Starts;
  /// Starts in a loop of run-time trip count (once per element of a
  /// container, per request): (start, loop). Their senders are not in Sent
  /// nor Senders: their number is not known.
  llvm::SmallVector<std::pair<const Stmt *, const Stmt *>, 2> PerIteration;
  /// A loop of run-time trip count received before it: Received is only
  /// the least number (no iteration).
  bool ReceivedRuntime = false;
  /// The innermost loop of run-time trip count around the exit, if any (an
  /// exit inside it is counted at its first iteration).
  const Stmt *InRuntimeLoop = nullptr;
};

struct CountResult {
  bool GaveUp = false;
  std::vector<CountedExit> Exits;
  /// The least number of values sent over all exits (for a sender body).
  uint64_t minSent() const;
};

/// Walks \p Body. Budget: past \p MaxNodes visited nodes, gives up.
CountResult countChannelTraffic(const Stmt *Body, ASTContext &Ctx,
                                ChannelClassifier Classify,
                                unsigned MaxNodes = 20000);

class FunctionCFG;

/// Whether some path from just after \p From (a CFG element, or a statement
/// that terminates a block, e.g. a range-for) reaches the end of \p Holder's
/// scope (its destructor / lifetime end; null: the function's end) without
/// meeting a statement for which \p Stops is true. The exit edge of the
/// loop \p NoExitOf is not followed (a loop that ends only when the channel
/// is closed). Paths into noreturn calls end. \p LeaveAt receives the last
/// return, break, goto or loop exit on the path found (null: none). Gives
/// up (false) past \p MaxVisits elements.
///
/// With \p ThrowsTerminate (nothing can catch an exception leaving the
/// function), a throw out of the function is no path.
///
/// Asked of the LifetimeEngine, the one path search: \p Stops marks the
/// releases of a ResourceModel, whose edge verdict prunes \p NoExitOf's exit.
bool reachesScopeEndWithout(FunctionCFG &F, const Stmt *From,
                            const VarDecl *Holder,
                            llvm::function_ref<bool(const Stmt *)> Stops,
                            const Stmt *NoExitOf = nullptr,
                            const Stmt **LeaveAt = nullptr,
                            bool ThrowsTerminate = false,
                            unsigned MaxVisits = 100000);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELCOUNTING_H
