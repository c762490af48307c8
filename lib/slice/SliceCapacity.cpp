//===--- SliceCapacity.cpp - leak-tidy ------------------------------------===//
//
// What one use of a buffer container (std::vector, std::string, QByteArray,
// ...) does to its capacity: grows it, fills it with a large buffer, cuts it
// down while keeping the capacity, or gives the capacity back.
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/LoopFacts.h"
#include "lib/slice/SliceModel.h"
#include "lib/slice/SliceSupport.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang {
namespace leaklib {

using namespace slice;

BufferFamily bufferFamily(QualType T) {
  if (T.isNull())
    return BufferFamily::None;
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD)
    return BufferFamily::None;
  std::string Name = qualifiedName(RD);
  return llvm::StringSwitch<BufferFamily>(Name)
      .Case("std::vector", BufferFamily::StdVector)
      .Case("std::basic_string", BufferFamily::StdString)
      .Case("std::deque", BufferFamily::StdDeque)
      .Case("QByteArray", BufferFamily::QtByteArray)
      .Case("QString", BufferFamily::QtString)
      .Case("QVector", BufferFamily::QtVector)
      .Default(BufferFamily::None);
}

bool isQtFamily(BufferFamily F) {
  return F == BufferFamily::QtByteArray || F == BufferFamily::QtString ||
         F == BufferFamily::QtVector;
}

bool isWithin(const Stmt *Inner, const Stmt *Outer, ASTContext &Ctx) {
  if (!Inner || !Outer)
    return false;
  DynTypedNode N = DynTypedNode::create(*Inner);
  for (unsigned Depth = 0; Depth < 512; ++Depth) {
    if (N.get<Stmt>() == Outer)
      return true;
    N = parentOf(N, Ctx);
    if (!N.get<Stmt>())
      return false;
  }
  return false;
}

namespace {
/// Whether \p E is `C.end()` / `C.cend()` (or `.begin()` with \p Begin) on
/// the same declaration as \p Ref.
bool isBoundaryCall(const Expr *E, const Expr *Ref, bool Begin) {
  // Through the iterator -> const_iterator conversion and `it + k`.
  for (unsigned I = 0; I < 8; ++I) {
    E = ignoreTransparent(E, PeelValue)->IgnoreImplicit();
    if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
        CE && CE->getNumArgs() == 1)
      E = CE->getArg(0);
    else
      break;
  }
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
  if (!MC || !MC->getMethodDecl() || !MC->getMethodDecl()->getIdentifier())
    return false;
  llvm::StringRef N = MC->getMethodDecl()->getName();
  if (Begin ? (N != "begin" && N != "cbegin") : (N != "end" && N != "cend"))
    return false;
  const Expr *Obj = MC->getImplicitObjectArgument()->IgnoreParenImpCasts();
  const Expr *R = Ref->IgnoreParenImpCasts();
  const ValueDecl *A = nullptr, *B = nullptr;
  if (const auto *D = dyn_cast<DeclRefExpr>(Obj))
    A = D->getDecl();
  else if (const auto *M = dyn_cast<MemberExpr>(Obj))
    A = M->getMemberDecl();
  if (const auto *D = dyn_cast<DeclRefExpr>(R))
    B = D->getDecl();
  else if (const auto *M = dyn_cast<MemberExpr>(R))
    B = M->getMemberDecl();
  return A && A == B;
}

bool isFreshContainer(const Expr *E) {
  E = ignoreTransparent(E, PeelTemporaries | PeelExplicitCasts);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 0 ||
           (CE->getConstructor() &&
            CE->getConstructor()->isDefaultConstructor());
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() == 0;
  return false;
}

bool isEmptyInitList(const Expr *E) {
  E = ignoreTransparent(E, PeelTemporaries | PeelInitializerLists);
  if (const auto *IL = dyn_cast<InitListExpr>(E))
    return IL->getNumInits() == 0;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return CE->getNumArgs() == 0 && CE->isListInitialization();
  return false;
}

bool isInitializerListParam(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && qualifiedName(RD) == "std::initializer_list";
}

/// The declaration a container reference names (a variable or a member).
const ValueDecl *refDecl(const Expr *Ref) {
  Ref = Ref->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Ref))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(Ref))
    return ME->getMemberDecl();
  return nullptr;
}

/// Whether the condition of \p Loop reads the size of container \p D
/// (`while (v.size() < cap)`, `i < n && int(v.size()) < max`): the loop fills
/// up to a cap the container is meant to reach again -- a pool or a bounded
/// batch, not a burst of unknown size.
bool loopCapsSize(const Stmt *Loop, const ValueDecl *D) {
  const Expr *Cond = loopCondition(Loop);
  if (!Cond || !D)
    return false;
  return anyStmt(
      Cond,
      [&](const Stmt *S) {
        const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
        const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
        return M && M->getIdentifier() &&
               (M->getName() == "size" || M->getName() == "length") &&
               MC->getImplicitObjectArgument() &&
               refDecl(MC->getImplicitObjectArgument()) == D;
      },
      LambdaPolicy::Enter);
}

/// A growth inside a loop whose trip count is not a small constant is a
/// burst: the container may take a large amount.
void markBurst(BufferUse &U, BufferFamily F, const Expr *Ref, ASTContext &Ctx,
               uint64_t Threshold) {
  if (U.Effect != ContainerEffect::Grow || !U.Loop)
    return;
  if (loopCapsSize(U.Loop, refDecl(Ref)))
    return;
  QualType T = Ref->getType();
  std::optional<uint64_t> Trips = constantTripCount(U.Loop, Ctx);
  BufferSize S = BufferSize::unknown();
  if (Trips) {
    std::optional<uint64_t> Elem = sizeOfType(elementType(T, F, Ctx), Ctx);
    if (Elem && (*Elem == 0 || *Trips <= UINT64_MAX / *Elem))
      S = BufferSize::known(*Trips * *Elem);
  }
  if (S.isLarge(Threshold)) {
    U.Effect = ContainerEffect::LargeFill;
    U.Size = S;
  }
}

/// A use that takes \p S bytes: a large fill when S is large.
BufferUse takes(BufferUse U, BufferSize S, uint64_t Threshold) {
  if (S.isLarge(Threshold)) {
    U.Effect = ContainerEffect::LargeFill;
    U.Size = S;
  }
  return U;
}

/// The calls that release, reserve or cut down (shrink_to_fit, reserve,
/// resize, clear, truncate, chop, erase); none for other methods.
std::optional<BufferUse> sizeChange(const CXXMemberCallExpr *MC,
                                    llvm::StringRef Name, unsigned N,
                                    const Expr *Ref, BufferFamily F,
                                    ASTContext &Ctx, uint64_t Threshold) {
  BufferUse U;
  U.Where = MC;
  QualType Elem = elementType(Ref->getType(), F, Ctx);
  bool QtString = F == BufferFamily::QtByteArray || F == BufferFamily::QtString;
  if (Name == "shrink_to_fit" || Name == "squeeze" || Name == "swap" ||
      (Name == "reserve" && N == 0)) {   // std::string::reserve(): a shrink
    U.Effect = ContainerEffect::Release; // request before C++20
    U.ShrinkRequest = Name == "shrink_to_fit" || Name == "squeeze";
    return U;
  }
  if (Name == "reserve")
    return takes(U, bytesOf(MC->getArg(0), Elem, Ctx), Threshold);
  if (Name == "resize" && N >= 1) {
    BufferSize S = bytesOf(MC->getArg(0), Elem, Ctx);
    if (S.isLarge(Threshold))
      return takes(U, S, Threshold); // large or run-time size
    if (S.Bytes == 0 && QtString)
      return U; // QByteArray::resize(0) may free: do not count it as a cut
    U.Effect = ContainerEffect::Cut;
    U.Emptying = S.Bytes == 0;
    return U;
  }
  if (Name == "clear" && N == 0) {
    U.Effect = QtString ? ContainerEffect::Release : ContainerEffect::Cut;
    U.Emptying = true;
    return U;
  }
  if ((Name == "truncate" || Name == "chop") && N == 1 && isQtFamily(F)) {
    std::optional<uint64_t> K = constantValue(MC->getArg(0), Ctx);
    if (Name == "truncate" && (!K || *K == 0))
      return U; // run-time or zero: unsure, stay neutral
    U.Effect = ContainerEffect::Cut;
    return U;
  }
  if (Name != "erase")
    return std::nullopt;
  if (F == BufferFamily::StdString && N <= 1 &&
      (N == 0 || isIntegral(MC->getArg(0)))) {
    U.Effect = ContainerEffect::Cut; // erase(pos): everything after pos
    U.Emptying = N == 0 || constantValue(MC->getArg(0), Ctx) == uint64_t(0);
  } else if (F == BufferFamily::StdString && N == 2 &&
             isIntegral(MC->getArg(0)) && isIntegral(MC->getArg(1)) &&
             constantValue(MC->getArg(0), Ctx) == uint64_t(0)) {
    U.Effect = ContainerEffect::Cut; // erase(0, n): the first n characters
    std::optional<uint64_t> Count = constantValue(MC->getArg(1), Ctx);
    U.Emptying = Count && *Count >= (UINT64_MAX >> 1); // erase(0, npos)
    U.Prefix = !U.Emptying;
  } else if (N == 2 && !isIntegral(MC->getArg(0)) &&
             isBoundaryCall(MC->getArg(1), Ref, /*Begin=*/false)) {
    U.Effect = ContainerEffect::Cut;
    U.Emptying = isBoundaryCall(MC->getArg(0), Ref, /*Begin=*/true);
  } else if (N == 2 && !isIntegral(MC->getArg(0)) &&
             isBoundaryCall(MC->getArg(0), Ref, /*Begin=*/true)) {
    U.Effect = ContainerEffect::Cut; // erase(begin(), begin() + n)
    U.Prefix = true;
  }
  return U;
}

/// The calls that add elements: a growth, or a large fill when they take a
/// large count, a pointer and a large length, or a range of any length.
BufferUse growth(const CXXMemberCallExpr *MC, llvm::StringRef Name, unsigned N,
                 QualType Elem, ASTContext &Ctx, uint64_t Threshold) {
  BufferUse U;
  U.Where = MC;
  U.Effect = ContainerEffect::Grow;
  U.Replaces = Name == "assign";
  // assign(n, v) / append(n, c) / fill(v, n): a count.
  if ((Name == "assign" || Name == "append") && N == 2 &&
      isIntegral(MC->getArg(0)) && !MC->getArg(0)->getType()->isPointerType())
    return takes(U, bytesOf(MC->getArg(0), Elem, Ctx), Threshold);
  // append(p, n) / assign(p, n): a pointer and a count.
  if ((Name == "append" || Name == "assign" || Name == "insert") && N >= 2 &&
      MC->getArg(N - 2)->getType()->isPointerType() &&
      isIntegral(MC->getArg(N - 1)))
    return takes(U, bytesOf(MC->getArg(N - 1), Elem, Ctx), Threshold);
  // assign(first, last) / insert(pos, first, last): a range of any length.
  if (((Name == "assign" || Name == "append") && N == 2) ||
      (Name == "insert" && N == 3)) {
    const Expr *First = MC->getArg(N - 2);
    const Expr *Last = MC->getArg(N - 1);
    if (!isIntegral(First) && !isIntegral(Last) &&
        First->getType().getCanonicalType().getUnqualifiedType() ==
            Last->getType().getCanonicalType().getUnqualifiedType())
      return takes(U, BufferSize::unknown(), Threshold);
  }
  return U;
}

BufferUse classifyMethodCall(const CXXMemberCallExpr *MC, const Expr *Ref,
                             BufferFamily F, ASTContext &Ctx,
                             uint64_t Threshold) {
  BufferUse U;
  U.Where = MC;
  const CXXMethodDecl *M = MC->getMethodDecl();
  if (!M || !M->getIdentifier())
    return U;
  llvm::StringRef Name = M->getName();
  // Arguments the caller wrote (default arguments left out).
  unsigned N = 0;
  while (N < MC->getNumArgs() && !isa<CXXDefaultArgExpr>(MC->getArg(N)))
    ++N;
  if (std::optional<BufferUse> Change =
          sizeChange(MC, Name, N, Ref, F, Ctx, Threshold))
    return *Change;
  bool Growth = llvm::StringSwitch<bool>(Name)
                    .Cases({"push_back", "emplace_back", "push_front",
                            "emplace_front", "emplace", "insert", "append",
                            "prepend", "assign", "replace", "fill"},
                           true)
                    .Default(false);
  if (!Growth)
    return U;
  return growth(MC, Name, N, elementType(Ref->getType(), F, Ctx), Ctx,
                Threshold);
}

BufferUse classifyAssignment(const CXXOperatorCallExpr *Op,
                             const NameMatcher &OwnerTypes, ASTContext &Ctx,
                             uint64_t Threshold) {
  BufferUse U;
  U.Where = Op;
  U.Replaces = true;
  const auto *M = dyn_cast_or_null<CXXMethodDecl>(Op->getDirectCallee());
  if (!M || M->getNumParams() != 1 || Op->getNumArgs() != 2) {
    U.Effect = ContainerEffect::Grow;
    return U;
  }
  const Expr *Src = Op->getArg(1);
  QualType PT = M->getParamDecl(0)->getType();
  if (isInitializerListParam(PT)) {
    // v = {}: the initializer-list assignment clears and keeps the capacity.
    if (isEmptyInitList(Src)) {
      U.Effect = ContainerEffect::Cut;
      U.Emptying = true;
    } else {
      U.Effect = ContainerEffect::Grow;
    }
    return U;
  }
  if (!M->isCopyAssignmentOperator() && !M->isMoveAssignmentOperator()) {
    U.Effect = ContainerEffect::Grow; // = "text", = 'c', = view
    return U;
  }
  if (M->isMoveAssignmentOperator() && isFreshContainer(Src)) {
    U.Effect = ContainerEffect::Release; // v = std::vector<T>()
    return U;
  }
  BufferOrigin O = originOf(Src, Ctx, OwnerTypes);
  if (O.K == BufferOrigin::LongLived) {
    U.Effect = ContainerEffect::Grow;
    return U;
  }
  if (O.Size.isLarge(Threshold) &&
      (O.K == BufferOrigin::Parameter || O.K == BufferOrigin::FunctionResult ||
       O.K == BufferOrigin::Created)) {
    U.Effect = ContainerEffect::LargeFill;
    U.Size = O.Size;
    return U;
  }
  // Moved from a small buffer: the old allocation is given back.
  U.Effect = M->isMoveAssignmentOperator() && O.K == BufferOrigin::Created
                 ? ContainerEffect::Release
                 : ContainerEffect::Grow;
  return U;
}

/// The container passed to a function: moved or swapped away (Release), or
/// bound to a non-const reference (Opaque).
BufferUse argumentUse(BufferUse U, const CallExpr *Call, const Expr *Child) {
  if (isMoveLike(Call)) {
    U.Effect = ContainerEffect::Release; // the buffer is moved out
    U.Where = Call;
    return U;
  }
  const FunctionDecl *FD = Call->getDirectCallee();
  if (FD && FD->getIdentifier() && FD->getName() == "swap") {
    U.Effect = ContainerEffect::Release;
    U.Where = Call;
    return U;
  }
  for (unsigned I = 0; I < Call->getNumArgs(); ++I) {
    if (Call->getArg(I) != Child)
      continue;
    if (!FD || I >= FD->getNumParams()) {
      U.Effect = ContainerEffect::Opaque; // variadic or unknown
      return U;
    }
    QualType PT = FD->getParamDecl(I)->getType();
    if (PT->isReferenceType() && !PT.getNonReferenceType().isConstQualified())
      U.Effect = ContainerEffect::Opaque;
    return U;
  }
  return U;
}

/// Returned by non-const reference or pointer: the caller may do anything.
BufferUse returnUse(BufferUse U, const Stmt *Return, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*Return);
  for (unsigned Depth = 0; Depth < 256; ++Depth) {
    N = parentOf(N, Ctx);
    if (const auto *FD = N.get<FunctionDecl>()) {
      QualType RT = FD->getReturnType();
      if ((RT->isReferenceType() || RT->isPointerType()) &&
          !RT->getPointeeType().isConstQualified())
        U.Effect = ContainerEffect::Opaque;
      return U;
    }
    if (N.get<LambdaExpr>() || (!N.get<Stmt>() && !N.get<Decl>()))
      break;
  }
  U.Effect = ContainerEffect::Opaque;
  return U;
}

/// Bound to a non-const (or rvalue) reference parameter of a constructor.
BufferUse constructorArgumentUse(BufferUse U, const CXXConstructExpr *CE,
                                 const Expr *Child) {
  for (unsigned I = 0; I < CE->getNumArgs(); ++I)
    if (CE->getArg(I) == Child && CE->getConstructor() &&
        I < CE->getConstructor()->getNumParams()) {
      QualType PT = CE->getConstructor()->getParamDecl(I)->getType();
      if (PT->isRValueReferenceType() ||
          (PT->isReferenceType() &&
           !PT.getNonReferenceType().isConstQualified()))
        U.Effect = ContainerEffect::Opaque;
    }
  return U;
}

/// An operator on the container (`g = ...`, `g += ...`, `g << ...`).
BufferUse operatorUse(BufferUse U, const CXXOperatorCallExpr *Op,
                      const NameMatcher &OwnerTypes, ASTContext &Ctx,
                      uint64_t Threshold) {
  U.Where = Op;
  if (Op->getOperator() == OO_Equal) {
    BufferUse A = classifyAssignment(Op, OwnerTypes, Ctx, Threshold);
    A.Loop = U.Loop;
    A.InLoop = U.InLoop;
    return A;
  }
  if (Op->getOperator() == OO_PlusEqual || Op->getOperator() == OO_LessLess)
    U.Effect = ContainerEffect::Grow;
  return U;
}
} // namespace

BufferUse classifyBufferUse(const Expr *Ref, BufferFamily F, ASTContext &Ctx,
                            uint64_t Threshold, const NameMatcher &OwnerTypes) {
  BufferUse U;
  U.Where = Ref;
  const Expr *Child = nullptr;
  DynTypedNode DeclParent;
  const Stmt *P = usingParent(Ref, Ctx, &Child, &DeclParent);
  U.Loop = enclosingLoop(Ref, Ctx, nullptr, LoopPart::BodyAndCondition);
  U.InLoop = U.Loop != nullptr;
  if (!P) {
    // A declaration: `T &r = g;` may change it behind our back.
    if (const auto *V = DeclParent.get<VarDecl>())
      if (!V->isImplicit() && // the range of a range-based for
          V->getType()->isReferenceType() &&
          !V->getType().getNonReferenceType().isConstQualified())
        U.Effect = ContainerEffect::Opaque;
    return U;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(P)) {
    if (ME->getBase() != Child)
      return U;
    DynTypedNode CallNode = parentOf(DynTypedNode::create(*ME), Ctx);
    const auto *MC = CallNode.get<CXXMemberCallExpr>();
    if (!MC || MC->getCallee()->IgnoreParens() != ME)
      return U;
    BufferUse R = classifyMethodCall(MC, Ref, F, Ctx, Threshold);
    R.Loop = U.Loop;
    R.InLoop = U.InLoop;
    markBurst(R, F, Ref, Ctx, Threshold);
    return R;
  }
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(P)) {
    if (Op->getNumArgs() < 1 || Op->getArg(0) != Child)
      return U; // passed as an operand: a read or a copy (x = g, g == h)
    BufferUse R = operatorUse(U, Op, OwnerTypes, Ctx, Threshold);
    markBurst(R, F, Ref, Ctx, Threshold);
    return R;
  }
  if (const auto *Call = dyn_cast<CallExpr>(P))
    return argumentUse(U, Call, Child);
  if (const auto *UO = dyn_cast<UnaryOperator>(P)) {
    if (UO->getOpcode() == UO_AddrOf)
      U.Effect = ContainerEffect::Opaque;
    return U;
  }
  if (isa<ReturnStmt>(P))
    return returnUse(U, P, Ctx);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(P))
    return constructorArgumentUse(U, CE, Child);
  if (isa<LambdaExpr>(P))
    U.Effect = ContainerEffect::Opaque; // captured: used elsewhere
  return U;
}

} // namespace leaklib
} // namespace clang
