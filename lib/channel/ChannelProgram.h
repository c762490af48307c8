//===--- ChannelProgram.h - leak-tidy ------------------------------------===//
//
// What the program model (lib/program: ProgramFacts, FunctionSummaries) says
// for leak-channel-without-reader, asked through the channel family's own
// tests:
//  - what a function of this translation unit does with the channel it is
//    given (helperEffect): receives a counted number of values, drains it,
//    closes it, or only looks at it -- a definite answer or none;
//  - whether an expression makes a new channel for its holder to own,
//    directly or through a function that returns a fresh one it created
//    (createsChannel);
//  - whether a statement ends the process (endsProcess): a call of a
//    function that never returns (exit, abort, [[noreturn]], a user
//    function that always reaches one, an endless loop);
//  - what becomes of an exception leaving a function (exceptionsTerminate).
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CHANNEL_CHANNELPROGRAM_H
#define LEAK_TIDY_LIB_CHANNEL_CHANNELPROGRAM_H

#include "lib/channel/ChannelCounting.h"
#include <cstdint>
#include <optional>

namespace clang {
class ASTContext;
class CallExpr;
class Decl;
class Expr;
class ParmVarDecl;
class Stmt;
namespace leaklib {
struct ChannelIndex;

/// What one call of a helper does to the channel it is given.
struct HelperEffect {
  /// None: it only looks at it (size, is_closed); Receive: receives Count
  /// values on every call; Drain: receives until the channel is closed;
  /// Close: closes it.
  ChannelEvent::Kind K = ChannelEvent::None;
  uint64_t Count = 0;
};

/// The effect of \p Call, which passes a channel as parameter \p P of a
/// function defined in this translation unit, when the function's summary
/// gives a definite answer: its body runs straight (no return before its
/// end, no goto, no throw), every use of \p P is a channel operation, and
/// the receives, drain or close are statements every call runs. None
/// (std::nullopt) otherwise: the caller keeps its conservative answer.
std::optional<HelperEffect> helperEffect(const CallExpr *Call,
                                         const ParmVarDecl *P,
                                         const ChannelIndex &I,
                                         ASTContext &Ctx);

/// isChannelCreation, or a call of a function of this translation unit
/// whose every return gives a channel it created (a few levels deep).
bool createsChannel(const Expr *E, ASTContext &Ctx);

/// Whether \p S calls a function that never returns: the path ends with
/// the process, and whatever blocks there is moot.
bool endsProcess(const Stmt *S, ASTContext &Ctx);

/// Whether an exception leaving \p Scope (a function or a lambda's call
/// operator) surely ends in std::terminate: nothing can catch it.
bool exceptionsTerminate(const Decl *Scope, ASTContext &Ctx);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CHANNEL_CHANNELPROGRAM_H
