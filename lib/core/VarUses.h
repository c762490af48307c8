//===--- VarUses.h - leak-tidy -------------------------------------------===//
//
// What one use of a value does. Two entry points:
//  - classifyUse(S, V, PM): the use a CFG element S makes of V (the lifetime
//    engine's models ask it for each element they meet);
//  - decodeUse(Ref, Parents): the one walk from a reference up to a
//    normalised Use (argument and how it is passed, member call, store and
//    where, capture, return, test, overwrite, delete), which families map to
//    their effects through a UseRule table instead of climbing on their own.
//
//===----------------------------------------------------------------------===//
#ifndef LEAK_TIDY_LIB_CORE_VARUSES_H
#define LEAK_TIDY_LIB_CORE_VARUSES_H

#include "clang/AST/ASTTypeTraits.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace clang {
class CallExpr;
class CXXConstructExpr;
class CXXMethodDecl;
class DeclRefExpr;
class Expr;
class FunctionDecl;
class LambdaExpr;
class ParentMap;
class Stmt;
class ValueDecl;
class VarDecl;
namespace leaklib {
class NameMatcher;
class ParentIndex;

struct VarUse {
  enum Kind {
    Unrelated,    ///< the statement does not use the variable
    MemberCall,   ///< v.f(...) or v->f(...): see Method / Call
    Argument,     ///< passed to a call: see Call / ArgIndex / ByReference
    AddressTaken, ///< &v (not directly an argument)
    Moved,        ///< std::move(v) / std::forward / static_cast<T&&>(v)
    Returned,     ///< return v / co_return v
    StoredAway,   ///< copied or assigned into another object (x = v, T x(v))
    Overwritten,  ///< v = ... (assigned to)
    Captured,     ///< captured by a lambda (by reference or by copy)
    Read,         ///< any other read
  };
  Kind K = Unrelated;
  const CallExpr *Call = nullptr;        ///< MemberCall / Argument
  const CXXMethodDecl *Method = nullptr; ///< MemberCall
  const FunctionDecl *Callee = nullptr;  ///< MemberCall / Argument
  unsigned ArgIndex = 0;                 ///< Argument
  bool ByReference = false;  ///< Argument bound to a non-const ref, or &v
  bool CaptureByRef = false; ///< Captured
};

/// Classifies the use of \p V that statement \p S (a CFG element) makes.
/// Only the outermost meaning is reported: for `pthread_join(t, 0)` the
/// CallExpr element says Argument; the DeclRefExpr element of `t` inside it
/// says Read (its parent is the call, handled there). With the parent map,
/// a DeclRefExpr is classified by walking up through casts and parens.
VarUse classifyUse(const Stmt *S, const ValueDecl *V, ParentMap &PM);

/// Whether \p E, after ignoring parens/implicit casts/address-of/std::move,
/// names \p V.
bool refersTo(const Expr *E, const ValueDecl *V);

/// Whether \p Lambda captures \p V (explicitly or implicitly).
bool capturesVar(const LambdaExpr *Lambda, const ValueDecl *V,
                 bool *ByRef = nullptr);

/// The callee's name without qualification ("join", "pthread_join"), or "".
llvm::StringRef calleeName(const CallExpr *Call);

//===-- The use-site decoder --------------------------------------------===//
//
// decodeUse: the one walk from a reference up to what the code does with
// the value -- passed to a call (how), a method called on it, stored
// somewhere (where), captured, returned, tested, deleted, overwritten -- so
// that a family maps a normalised Use to its own effects through a table
// (UseRule / mapUse) instead of climbing the parents itself.

/// Parents for the decoder: a function's ParentMap (FunctionCFG::parents())
/// or the translation unit's ParentIndex.
class UseParents {
public:
  UseParents(ParentMap &PM) : PM(&PM) {}
  UseParents(const ParentIndex &PI) : PI(&PI) {}

  /// The parent of \p S. When \p S is the initializer of a variable (or of
  /// a field, in a constructor's initializer list or a default member
  /// initializer: ParentIndex only), \p Initializes is set to it; the
  /// returned statement is then the DeclStmt, or null.
  const Stmt *parent(const Stmt *S, const ValueDecl **Initializes) const;

private:
  static bool isLambdaPart(const Decl *D);
  const Stmt *lambdaAbove(DynTypedNode N) const;
  ParentMap *PM = nullptr;
  const ParentIndex *PI = nullptr;
};

/// One use of a value, normalised.
struct Use {
  enum Kind {
    None,         ///< not a use (null reference, no parent)
    Read,         ///< any other read: arithmetic, an index, a discarded value
    Test,         ///< a condition, `!v`, an operand of == != < && || ...
    MemberCall,   ///< v.f(...), v->f(...), v[i], *v on a class: Method
    MemberAccess, ///< v.field / v->field, not a call: Member
    Argument,     ///< an argument of a call or construction: Pass, ArgIndex
    Invoked,      ///< the callee: v(...) through a pointer or a functor
    Stored,       ///< copied into another object: Target, Into
    Overwritten,  ///< the left side of = or op= (through *v: Deref)
    Captured,     ///< a capture initializer of Lambda: CaptureByRef
    Returned,     ///< return v / co_return v
    Deleted,      ///< delete v / delete[] v
    Thrown,       ///< throw v
  };
  /// How an argument is passed, from the parameter's type.
  enum PassKind {
    ByValue,
    ByConstRef,
    ByRef,
    ByRvalueRef,
    ByPointer,      ///< to a non-const pointee (with AddressOf: &v)
    ByConstPointer, ///< to a const pointee
    Variadic,       ///< past the named parameters of a variadic callee
    UnknownCallee,  ///< a call through a pointer: assume it may keep it
  };
  /// Where a stored value goes.
  enum TargetKind { ToLocal, ToField, ToGlobal, ToContainer, ToUnknown };

  Kind K = None;
  /// The reference decoded, and the outermost expression that still is
  /// "the value" (after parens, casts, &, *, std::move, copies).
  const Expr *Ref = nullptr;
  const Expr *Top = nullptr;
  /// The node that gives the meaning: the call, member expression,
  /// assignment, return, lambda, delete, condition, ...
  const Stmt *User = nullptr;
  /// What the walk went through on the way up.
  bool AddressOf = false;   ///< &v
  bool Deref = false;       ///< *v
  bool Moved = false;       ///< std::move / std::forward / a move construction
  bool Copied = false;      ///< a copy construction (`T(v)`, pass by value)
  bool Cast = false;        ///< an explicit cast
  bool InAggregate = false; ///< an element of an initializer list

  /// Argument / MemberCall / Invoked / Stored into a container.
  const CallExpr *Call = nullptr;
  const CXXConstructExpr *Construct = nullptr; ///< Argument of a construction
  const FunctionDecl *Callee = nullptr;
  const CXXMethodDecl *Method = nullptr; ///< MemberCall
  unsigned ArgIndex = 0;                 ///< Argument: 0 = first written
  PassKind Pass = ByValue;               ///< Argument
  /// Stored: where to; Argument of a construction: the variable or field
  /// the constructed object initialises (`UniqueFd g(fd)` -> g), if any.
  TargetKind Target = ToUnknown;
  const ValueDecl *Into = nullptr;
  bool Alias = false; ///< Stored: into a reference variable (another name)
  const ValueDecl *Member = nullptr;  ///< MemberAccess
  const LambdaExpr *Lambda = nullptr; ///< Captured
  bool CaptureByRef = false;          ///< Captured: [&v] rather than [v]

  /// The callee's / method's unqualified name, or "".
  llvm::StringRef name() const;
};

/// Decodes the use \p Ref makes (a DeclRefExpr or MemberExpr naming the
/// tracked value; any expression works, e.g. a MemberExpr found as the
/// User of a MemberAccess, to decode one level further).
Use decodeUse(const Expr *Ref, const UseParents &P);

/// Whether \p Method is a container insertion (push_back, emplace, insert,
/// push, ...): an argument of such a call is Stored ToContainer.
bool isInsertMethod(const CXXMethodDecl *Method);

/// The innermost lambda whose body holds \p Ref when \p Ref names a variable
/// of an enclosing function (a by-reference or by-copy capture); else null.
const LambdaExpr *enclosingCapture(const DeclRefExpr *Ref, const UseParents &P);

/// Whether \p Names matches the use's callee or method.
bool useMatches(const NameMatcher &Names, const Use &U);

/// One row of a family's table from uses to its effects. A row matches when
/// K matches and, if set, Name equals Use::name() (or Names matches the
/// callee), ArgIndex equals the argument index (-1: any), and the flags
/// required are set.
template <typename EffectT> struct UseRule {
  Use::Kind K;
  EffectT Effect;
  llvm::StringRef Name = "";
  const NameMatcher *Names = nullptr;
  int ArgIndex = -1;
  bool NeedAddressOf = false;
};

/// Whether \p R matches \p U (see UseRule).
template <typename EffectT>
bool ruleMatches(const UseRule<EffectT> &R, const Use &U) {
  return R.K == U.K && (R.Name.empty() || R.Name == U.name()) &&
         (!R.Names || useMatches(*R.Names, U)) &&
         (R.ArgIndex < 0 || unsigned(R.ArgIndex) == U.ArgIndex) &&
         (!R.NeedAddressOf || U.AddressOf);
}

/// The effect of the first row of \p Table matching \p U, else \p Default.
template <typename EffectT>
EffectT mapUse(const Use &U, llvm::ArrayRef<UseRule<EffectT>> Table,
               EffectT Default) {
  for (const UseRule<EffectT> &R : Table)
    if (ruleMatches(R, U))
      return R.Effect;
  return Default;
}

} // namespace leaklib
} // namespace clang

#endif // LEAK_TIDY_LIB_CORE_VARUSES_H
