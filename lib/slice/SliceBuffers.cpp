//===--- SliceBuffers.cpp - leak-tidy -------------------------------------===//
//
// How large the buffer behind a slice is: constant sizes, heap allocations,
// where an owner's buffer comes from (a parameter, an allocation here, a
// call's result, long-lived storage), interior pointers into heap blocks and
// whether the block's base pointer is lost.
//
//===----------------------------------------------------------------------===//
#include "lib/core/AstHelpers.h"
#include "lib/core/FunctionCFG.h"
#include "lib/core/LifetimeEngine.h"
#include "lib/core/Storage.h"
#include "lib/program/FunctionSummaries.h"
#include "lib/slice/SliceModel.h"
#include "lib/slice/SliceSupport.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

using namespace slice;

//===-- Sizes ------------------------------------------------------------===//

std::string BufferSize::describe() const {
  if (!Known)
    return "size unknown";
  return std::to_string(Bytes) + (Bytes == 1 ? " byte" : " bytes");
}

std::optional<uint64_t> constantValue(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent() ||
      E->containsErrors())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx) || !R.Val.isInt())
    return std::nullopt;
  const llvm::APSInt &V = R.Val.getInt();
  if (V.isSigned() && V.isNegative())
    return std::nullopt;
  if (V.getActiveBits() > 63)
    return std::nullopt;
  return V.getZExtValue();
}

BufferSize bytesOf(const Expr *Count, QualType Elem, const ASTContext &Ctx) {
  std::optional<uint64_t> N = constantValue(Count, Ctx);
  std::optional<uint64_t> Size =
      Elem.isNull() ? std::optional<uint64_t>(1) : sizeOfType(Elem, Ctx);
  if (!N || !Size)
    return BufferSize::unknown();
  if (*Size != 0 && *N > UINT64_MAX / *Size)
    return BufferSize::unknown();
  return BufferSize::known(*N * *Size);
}

/// \p A * \p B bytes, unknown when either is or the product overflows.
static BufferSize product(BufferSize A, BufferSize B) {
  if (A.Known && B.Known && (B.Bytes == 0 || A.Bytes <= UINT64_MAX / B.Bytes))
    return BufferSize::known(A.Bytes * B.Bytes);
  return BufferSize::unknown();
}

/// The size a GLib or C allocator call allocates; none when \p Call is not
/// one.
static std::optional<BufferSize> allocatorSize(const CallExpr *Call,
                                               const ASTContext &Ctx) {
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return std::nullopt;
  llvm::StringRef Name = FD->getName();
  unsigned N = Call->getNumArgs();
  auto Arg = [&](unsigned I) { return bytesOf(Call->getArg(I), {}, Ctx); };
  if (Name.starts_with("g_")) { // GLib allocators: plain C functions
    if ((Name == "g_malloc" || Name == "g_malloc0" || Name == "g_try_malloc") &&
        N == 1)
      return Arg(0);
    if ((Name == "g_malloc_n" || Name == "g_malloc0_n") && N == 2)
      return product(Arg(0), Arg(1));
    return std::nullopt;
  }
  if (isStdFunction(FD, "malloc") && N == 1)
    return Arg(0);
  if ((isStdFunction(FD, "realloc") || isStdFunction(FD, "aligned_alloc")) &&
      N == 2)
    return Arg(1);
  if (isStdFunction(FD, "calloc") && N == 2)
    return product(Arg(0), Arg(1));
  return std::nullopt;
}

std::optional<HeapAllocation> heapAllocation(const Expr *E,
                                             const ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  HeapAllocation H;
  H.Alloc = E;
  if (const auto *New = dyn_cast<CXXNewExpr>(E)) {
    if (!New->isArray())
      return std::nullopt;
    std::optional<const Expr *> Count = New->getArraySize();
    if (!Count || !*Count)
      return std::nullopt;
    H.Size = bytesOf(*Count, New->getAllocatedType(), Ctx);
    return H;
  }
  const auto *Call = dyn_cast<CallExpr>(E);
  std::optional<BufferSize> Size =
      Call ? allocatorSize(Call, Ctx) : std::nullopt;
  if (!Size)
    return std::nullopt;
  H.Size = *Size;
  return H;
}

//===-- Origins ----------------------------------------------------------===//

namespace {
/// Size of a buffer built by constructing \p T from \p Args (a container
/// with a count, a fixed array, or a plain object).
BufferSize sizeOfConstructed(QualType T, llvm::ArrayRef<const Expr *> Args,
                             const ASTContext &Ctx, bool *Analyzable) {
  *Analyzable = true;
  if (T.isNull() || T->isDependentType()) {
    *Analyzable = false;
    return BufferSize::unknown();
  }
  if (const auto *IA = dyn_cast<IncompleteArrayType>(T.getCanonicalType())) {
    if (!Args.empty() && isIntegral(Args[0]))
      return bytesOf(Args[0], IA->getElementType(), Ctx);
    return BufferSize::unknown();
  }
  BufferFamily F = bufferFamily(T);
  if (F != BufferFamily::None) {
    if (!Args.empty() && isIntegral(Args[0]))
      return bytesOf(Args[0], elementType(T, F, Ctx), Ctx);
    return BufferSize::unknown(); // empty (filled later) or from a range
  }
  if (std::optional<uint64_t> S = sizeOfType(T, Ctx))
    return BufferSize::known(*S);
  *Analyzable = false;
  return BufferSize::unknown();
}

BufferOrigin originImpl(const Expr *Owner, const ASTContext &Ctx,
                        const NameMatcher &OwnerTypes, unsigned Depth);

/// A buffer whose size \p S is known when \p Ok, allocated here.
BufferOrigin created(BufferOrigin Out, BufferSize S, bool Ok = true) {
  if (Ok) {
    Out.K = BufferOrigin::Created;
    Out.Size = S;
  }
  return Out;
}

/// An owner variable: a parameter, a program-lifetime variable, or a local
/// whose initializer is followed.
BufferOrigin originOfVar(const VarDecl *V, BufferOrigin Out,
                         const ASTContext &Ctx, const NameMatcher &OwnerTypes,
                         unsigned Depth) {
  Out.Var = V;
  if (isa<ParmVarDecl>(V)) {
    Out.K = BufferOrigin::Parameter;
    return Out;
  }
  // Static storage, or a local of a main() that runs until the process
  // ends: the buffer lives that long anyway, a slice keeps nothing extra.
  if (!V->getType()->isReferenceType() && livesAsLongAsProcess(V, Ctx)) {
    Out.K = BufferOrigin::LongLived;
    return Out;
  }
  if (V->getInit() && !V->hasGlobalStorage() && !V->isCXXForRangeDecl()) {
    BufferOrigin Inner = originImpl(V->getInit(), Ctx, OwnerTypes, Depth + 1);
    if (!Inner.Var)
      Inner.Var = V;
    return Inner;
  }
  return Out;
}

/// An owner built here: shared_ptr<T>(new T[n]), or a container with a count.
BufferOrigin originOfConstruction(const CXXConstructExpr *CE, BufferOrigin Out,
                                  const ASTContext &Ctx,
                                  const NameMatcher &OwnerTypes) {
  if (CE->getConstructor() &&
      OwnerTypes.matches(CE->getConstructor()->getParent())) {
    if (CE->getNumArgs() >= 1)
      if (std::optional<HeapAllocation> H = heapAllocation(CE->getArg(0), Ctx))
        return created(Out, H->Size);
    return Out;
  }
  llvm::SmallVector<const Expr *, 4> Args(CE->arguments());
  bool Ok = false;
  BufferSize S = sizeOfConstructed(CE->getType(), Args, Ctx, &Ok);
  return created(Out, S, Ok);
}

/// An owner returned by a call: GLib byte buffers, make_shared<T>(args), or
/// any other function's result.
BufferOrigin originOfCall(const CallExpr *Call, BufferOrigin Out,
                          const ASTContext &Ctx, const NameMatcher &OwnerTypes,
                          unsigned Depth) {
  Out.K = BufferOrigin::FunctionResult;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return Out;
  llvm::StringRef Name = FD->getName();
  if ((Name == "g_bytes_new" || Name == "g_bytes_new_take" ||
       Name == "g_bytes_new_with_free_func") &&
      Call->getNumArgs() >= 2)
    return created(Out, bytesOf(Call->getArg(1), QualType(), Ctx));
  if (Name == "g_bytes_new_static") {
    Out.K = BufferOrigin::LongLived;
    return Out;
  }
  if ((Name == "g_bytes_ref" || Name == "g_bytes_new_from_bytes") &&
      Call->getNumArgs() >= 1)
    return originImpl(Call->getArg(0), Ctx, OwnerTypes, Depth + 1);
  // A helper that hands back its argument (or a member of it): the buffer
  // comes from the argument. Through a member only "long-lived" carries over.
  bool Member = false;
  std::optional<unsigned> P =
      FunctionSummaries::get(const_cast<ASTContext &>(Ctx))
          .returnedParam(FD, Member);
  BufferOrigin Via;
  if (!P) // defined in another file: its project facts
    P = returnedParamElsewhere(FD, Member, &Via);
  if (P && !isa<CXXOperatorCallExpr>(Call) && *P < Call->getNumArgs()) {
    BufferOrigin Arg = originImpl(Call->getArg(*P), Ctx, OwnerTypes, Depth + 1);
    if (!Arg.ViaHelper) {
      Arg.ViaHelper = Via.ViaHelper;
      Arg.Via = Via.Via;
      Arg.ViaWhere = Via.ViaWhere;
    }
    if (!Member || Arg.K == BufferOrigin::LongLived)
      return Arg;
  }
  if (Name != "make_shared" && Name != "allocate_shared" &&
      Name != "make_shared_for_overwrite")
    return Out;
  const TemplateArgumentList *TA = FD->getTemplateSpecializationArgs();
  if (!TA || TA->size() == 0 || TA->get(0).getKind() != TemplateArgument::Type)
    return Out;
  llvm::SmallVector<const Expr *, 4> Args(Call->arguments());
  if (Name == "allocate_shared" && !Args.empty())
    Args.erase(Args.begin());
  bool Ok = false;
  BufferSize S = sizeOfConstructed(TA->get(0).getAsType(), Args, Ctx, &Ok);
  return created(Out, S, Ok);
}

BufferOrigin originImpl(const Expr *Owner, const ASTContext &Ctx,
                        const NameMatcher &OwnerTypes, unsigned Depth) {
  BufferOrigin Out;
  if (!Owner || Depth > 6)
    return Out;
  const Expr *E = ignoreTransparent(Owner, PeelValue);
  Out.Where = E;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
    return V ? originOfVar(V, Out, Ctx, OwnerTypes, Depth) : Out;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (longLivedStorage(ME, nullptr))
      Out.K = BufferOrigin::LongLived;
    return Out;
  }
  if (std::optional<HeapAllocation> H = heapAllocation(E, Ctx))
    return created(Out, H->Size);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E))
    return originOfConstruction(CE, Out, Ctx, OwnerTypes);
  if (const auto *Call = dyn_cast<CallExpr>(E))
    return originOfCall(Call, Out, Ctx, OwnerTypes, Depth);
  return Out;
}

/// The type a smart pointer (or GBytes-like pointer) points to.
QualType pointeeOfOwner(QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    return T->getPointeeType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T->getAsCXXRecordDecl());
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

} // namespace

BufferOrigin originOf(const Expr *Owner, const ASTContext &Ctx,
                      const NameMatcher &OwnerTypes) {
  return originImpl(Owner, Ctx, OwnerTypes, 0);
}

std::optional<uint64_t> fixedPointeeSize(QualType OwnerType,
                                         const ASTContext &Ctx) {
  QualType P = pointeeOfOwner(OwnerType);
  if (P.isNull() || P->isDependentType())
    return std::nullopt;
  P = P.getCanonicalType();
  if (isa<ConstantArrayType>(P))
    return sizeOfType(P, Ctx);
  if (P->isRecordType() && bufferFamily(P) == BufferFamily::None)
    return sizeOfType(P, Ctx);
  return std::nullopt; // char/byte/void/T[]/containers: a buffer
}

//===-- Interior pointers ------------------------------------------------===//

std::optional<InteriorPointer> interiorPointer(const Expr *E,
                                               const ASTContext &Ctx) {
  if (!E)
    return std::nullopt;
  E = E->IgnoreParenCasts();
  InteriorPointer IP;
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if (BO->getOpcode() == BO_Add) {
      if (BO->getLHS()->getType()->isPointerType()) {
        IP.Base = BO->getLHS();
        IP.Offset = BO->getRHS();
      } else if (BO->getRHS()->getType()->isPointerType()) {
        IP.Base = BO->getRHS();
        IP.Offset = BO->getLHS();
      }
    } else if (BO->getOpcode() == BO_Sub &&
               BO->getLHS()->getType()->isPointerType() &&
               isIntegral(BO->getRHS())) {
      IP.Base = BO->getLHS();
      IP.Offset = BO->getRHS();
    }
  } else if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf)
      if (const auto *ASE =
              dyn_cast<ArraySubscriptExpr>(UO->getSubExpr()->IgnoreParens())) {
        IP.Base = ASE->getBase();
        IP.Offset = ASE->getIdx();
      }
  }
  if (!IP.Base || !IP.Offset || !isIntegral(IP.Offset))
    return std::nullopt;
  if (!IP.Base->IgnoreParenImpCasts()->getType()->isPointerType())
    return std::nullopt; // an array, not a heap block
  std::optional<uint64_t> Off = constantValue(IP.Offset, Ctx);
  if (Off && *Off == 0)
    return std::nullopt;
  return IP;
}

bool isNonRetainingFunction(const FunctionDecl *Callee) {
  if (!Callee || !Callee->getIdentifier())
    return false;
  static const char *const Names[] = {
      "read",     "pread",     "recv",          "recvfrom", "fread",
      "fgets",    "memcpy",    "memmove",       "memset",   "memcmp",
      "memchr",   "strcpy",    "strncpy",       "strcat",   "strncat",
      "strlen",   "strnlen",   "strcmp",        "strncmp",  "strchr",
      "strrchr",  "strstr",    "strspn",        "strcspn",  "sprintf",
      "snprintf", "vsnprintf", "sscanf",        "printf",   "fprintf",
      "puts",     "fputs",     "fwrite",        "write",    "send",
      "sendto",   "atoi",      "atol",          "strtol",   "strtoul",
      "strtoll",  "strtoull",  "strtod",        "isspace",  "toupper",
      "tolower",  "bzero",     "explicit_bzero"};
  for (const char *N : Names)
    if (isStdFunction(Callee, N))
      return true;
  return false;
}

namespace {
/// The uses of a base pointer that free or keep it end the search.
class BaseUseModel : public ResourceModel {
public:
  explicit BaseUseModel(const llvm::DenseSet<const Stmt *> &Keeps)
      : Keeps(Keeps) {}
  Effect effectOf(const Stmt *S) override {
    return Keeps.count(S) ? Releases : NoEffect;
  }
  bool mayThrow(const Stmt *) override { return false; }

private:
  const llvm::DenseSet<const Stmt *> &Keeps;
};

/// A path through the function of \p V from \p Site (the slice) to the
/// function's end that passes none of \p Keeps (the uses of V that free or
/// keep the block): the path engine's shortest one, or none.
std::optional<LeakPath>
pathWithoutBase(const VarDecl *V, const Expr *Site,
                const llvm::DenseSet<const Stmt *> &Keeps, ASTContext &Ctx) {
  const auto *FD =
      dyn_cast_or_null<FunctionDecl>(V->getParentFunctionOrMethod());
  if (!FD || !FD->getBody())
    return std::nullopt;
  // A use before the store that keeps the block (stored elsewhere, handed
  // on) keeps it for good; one that frees it leaves a dangling slice (a
  // different bug): either way, not this leak.
  const SourceManager &SM = Ctx.getSourceManager();
  for (const Stmt *K : Keeps)
    if (!SM.isBeforeInTranslationUnit(Site->getEndLoc(), K->getBeginLoc()))
      return std::nullopt;
  FunctionCFG *F = FunctionCFG::get(FD, FD->getBody(), Ctx);
  if (!F || !F->locate(Site))
    return std::nullopt;
  LifetimeQuery Q;
  Q.Acquire = Site;
  Q.ReportReacquire = false;
  BaseUseModel M(Keeps);
  LifetimeResult R = analyzeLifetime(*F, Q, M);
  if (!R.leaked() || !R.Path || R.Path->Exit != LeakPath::AtFunctionEnd)
    return std::nullopt;
  return R.Path;
}

/// Whether the use \p Ref of a local base pointer keeps the block reachable
/// (freed, stored, returned, passed on) -- then the base is not lost.
/// \p Alloc is the allocation so far; a first assignment of one sets it.
bool keepsBase(const Expr *Ref, ASTContext &Ctx,
               std::optional<HeapAllocation> &Alloc) {
  const Expr *Child = nullptr;
  const Stmt *P = usingParent(Ref, Ctx, &Child);
  // Look through explicit casts: (unsigned char *)buf + 4.
  while (const auto *Cast = dyn_cast_or_null<ExplicitCastExpr>(P)) {
    if (!Cast->getType()->isPointerType())
      break;
    P = usingParent(Cast, Ctx, &Child);
  }
  if (!P)
    return true;
  if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
    if (BO->getOpcode() == BO_Assign && BO->getLHS() == Child) {
      // The one assignment of the allocation (C89 style).
      if (Alloc)
        return true;
      Alloc = heapAllocation(BO->getRHS(), Ctx);
      return !Alloc;
    }
    return !(BO->isAdditiveOp() || BO->isComparisonOp() || BO->isLogicalOp());
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(P))
    return ASE->getBase() != Child;
  if (const auto *UO = dyn_cast<UnaryOperator>(P))
    return UO->getOpcode() != UO_Deref && UO->getOpcode() != UO_LNot;
  if (isa<UnaryExprOrTypeTraitExpr>(P))
    return false; // sizeof
  // Used as a condition (if (!buf) / if (buf)).
  if (const auto *If = dyn_cast<IfStmt>(P))
    return If->getCond() != Child;
  if (const auto *W = dyn_cast<WhileStmt>(P))
    return W->getCond() != Child;
  if (const auto *CO = dyn_cast<ConditionalOperator>(P))
    return CO->getCond() != Child;
  if (const auto *Call = dyn_cast<CallExpr>(P))
    return Call->getCallee() == Child ||
           !isNonRetainingFunction(Call->getDirectCallee());
  return true; // freed, stored, returned, passed on: not lost
}
} // namespace

/// \p Alloc when nothing in \p Keeps (the uses of \p V that free or keep
/// the block) exists; otherwise lost only on a path from the slice's store
/// \p Site to the end of the function that passes none of them (*Path).
static std::optional<HeapAllocation>
lostOnSomePath(const VarDecl *V, const Expr *Site,
               const llvm::DenseSet<const Stmt *> &Keeps,
               std::optional<HeapAllocation> Alloc,
               std::optional<LeakPath> *Path, ASTContext &Ctx) {
  if (Keeps.empty() || !Alloc)
    return Alloc;
  if (!Site || !Path)
    return std::nullopt;
  std::optional<LeakPath> P = pathWithoutBase(V, Site, Keeps, Ctx);
  if (!P)
    return std::nullopt;
  *Path = std::move(P);
  return Alloc;
}

std::optional<HeapAllocation> lostFieldBlock(const MemberExpr *Base,
                                             ASTContext &Ctx, const Expr *Site,
                                             std::optional<LeakPath> *Path) {
  const auto *DRE =
      dyn_cast<DeclRefExpr>(Base->getBase()->IgnoreParenImpCasts());
  const auto *R = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  const auto *Field = dyn_cast<FieldDecl>(Base->getMemberDecl());
  if (!R || !Field || Base->isArrow() || !R->isLocalVarDecl() ||
      R->hasGlobalStorage() || R->getType()->isReferenceType() ||
      !Field->getType()->isPointerType() || !R->getInit())
    return std::nullopt;
  const auto *Init = dyn_cast<CallExpr>(ignoreTransparent(R->getInit()));
  if (!Init || !Init->getType()->isRecordType())
    return std::nullopt; // `struct resp r = fetch(fd);` only
  std::vector<const DeclRefExpr *> Refs = refsInFunction(R);
  if (Refs.size() >= 4096)
    return std::nullopt;
  std::optional<HeapAllocation> Alloc = HeapAllocation{Init, {}};
  llvm::DenseSet<const Stmt *> Keeps;
  for (const DeclRefExpr *Ref : Refs) {
    const Expr *Child = nullptr;
    const auto *ME =
        dyn_cast_or_null<MemberExpr>(usingParent(Ref, Ctx, &Child));
    if (!ME || ME->isArrow()) {
      Keeps.insert(Ref); // the whole result handed on, freed, returned
      continue;
    }
    if (ME->getMemberDecl() != Field)
      continue; // another field: a read of it does not keep this block
    if (keepsBase(ME, Ctx, Alloc))
      Keeps.insert(Ref);
  }
  return lostOnSomePath(R, Site, Keeps, Alloc, Path, Ctx);
}

std::optional<HeapAllocation> lostHeapBase(const VarDecl *V, ASTContext &Ctx,
                                           const Expr *Site,
                                           std::optional<LeakPath> *Path) {
  if (!V || !V->getType()->isPointerType() || V->hasGlobalStorage() ||
      isa<ParmVarDecl>(V) || !V->isLocalVarDecl())
    return std::nullopt;
  std::optional<HeapAllocation> Alloc;
  if (V->getInit()) {
    Alloc = heapAllocation(V->getInit(), Ctx);
    if (!Alloc)
      return std::nullopt;
  }
  std::vector<const DeclRefExpr *> Refs = refsInFunction(V);
  if (Refs.size() >= 4096)
    return std::nullopt;
  llvm::DenseSet<const Stmt *> Keeps;
  for (const DeclRefExpr *Ref : Refs)
    if (keepsBase(Ref, Ctx, Alloc))
      Keeps.insert(Ref);
  return lostOnSomePath(V, Site, Keeps, Alloc, Path, Ctx);
}

} // namespace leaklib
} // namespace clang
