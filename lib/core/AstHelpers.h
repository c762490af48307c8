//===--- AstHelpers.h - leak-tidy -----------------------------------------===//
//
// The small AST idioms every analysis needs, written once:
//  - ignoreTransparent: peel the nodes that do not change which object an
//    expression denotes (parens, implicit casts, temporaries, copies, moves),
//    built on Clang's IgnoreExprNodes; callers choose what counts as
//    transparent with a Peel mask instead of writing their own loop;
//  - isMoveLike: std::move / std::forward (and boost::move);
//  - enclosingLoop: the innermost loop around a statement, with the body
//    alone or also the condition/increment counting as "inside";
//  - forEachStmt: a pre-order walk with one explicit rule for lambdas and
//    blocks, so that no analysis decides that on its own again.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_ASTHELPERS_H
#define LEAK_TIDY_LIB_CORE_ASTHELPERS_H

#include "llvm/ADT/STLFunctionalExtras.h"

namespace clang {
class ASTContext;
class CallExpr;
class Expr;
class Stmt;
namespace leaklib {

/// What ignoreTransparent may peel. Parens and implicit casts are always
/// peeled.
enum Peel : unsigned {
  PeelNone = 0,
  /// ExprWithCleanups / ConstantExpr (FullExpr), MaterializeTemporaryExpr,
  /// CXXBindTemporaryExpr.
  PeelTemporaries = 1u << 0,
  /// Explicit casts: C-style, static_cast & co, functional casts.
  PeelExplicitCasts = 1u << 1,
  /// A single-argument copy or move construction (`T(x)`, an elided copy of
  /// a temporary), not a CXXTemporaryObjectExpr.
  PeelCopies = 1u << 2,
  /// std::move(x), std::forward<T>(x).
  PeelMoves = 1u << 3,
  /// `&x` and `*x`.
  PeelAddressOf = 1u << 4,
  /// Any single-argument construction (a converting constructor such as
  /// shared_ptr<T> from make_shared's result).
  PeelConversions = 1u << 5,
  /// The std::initializer_list built from a braced list (`v = {}`): its
  /// array, the InitListExpr.
  PeelInitializerLists = 1u << 6,
  PeelValue = PeelTemporaries | PeelExplicitCasts | PeelCopies | PeelMoves,
};

/// \p E with the nodes named by \p What peeled away (parens and implicit casts
/// always). Null in, null out.
const Expr *ignoreTransparent(const Expr *E, unsigned What = PeelTemporaries);

/// A one-argument call of std::move, std::forward or boost::move.
bool isMoveLike(const CallExpr *Call);

/// A flag's type: `bool` (cv-qualified too) or `std::atomic<bool>`.
bool isFlagType(QualType T);

/// Which part of a loop counts as "in the loop" for enclosingLoop.
enum class LoopPart {
  Body,             ///< only the body (re-runs with every iteration)
  BodyAndCondition, ///< also the condition and the increment
};

/// The innermost loop (for, while, do, range-for) around \p S below \p Root,
/// with \p S in the part \p Part names; null when there is none, when a lambda
/// or block lies in between, or when \p S sits in a part of the innermost loop
/// that \p Part excludes (its init statement, say). Uses the ParentIndex.
const Stmt *enclosingLoop(const Stmt *S, ASTContext &Ctx, const Stmt *Root,
                          LoopPart Part = LoopPart::Body);

/// Whether lambda bodies (and blocks) are part of a walk.
enum class LambdaPolicy {
  Enter, ///< walk into lambda bodies: what a lambda does counts here
  Skip,  ///< a lambda is a separate function: do not walk into it
};

/// What the visitor wants next.
enum class Walk { Continue, SkipChildren, Stop };

/// Visits \p Root and everything under it in pre-order. Returns false when
/// the visitor stopped the walk.
bool forEachStmt(const Stmt *Root, llvm::function_ref<Walk(const Stmt *)> Fn,
                 LambdaPolicy Lambdas);

/// Whether \p Fn holds for some statement under \p Root (\p Root included).
bool anyStmt(const Stmt *Root, llvm::function_ref<bool(const Stmt *)> Fn,
             LambdaPolicy Lambdas);

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_ASTHELPERS_H
