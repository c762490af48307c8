//===--- FlagWrites.cpp - leak-tidy ---------------------------------------===//
//
// The `flag_write` facts: see FlagWrites.h and docs/architecture.md,
// "Project facts".
//
//===----------------------------------------------------------------------===//
#include "lib/program/FlagWrites.h"
#include "lib/core/AstHelpers.h"
#include "lib/core/PerContext.h"
#include "lib/core/UserCodeVisitor.h"
#include "lib/program/ProjectFacts.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/MapVector.h"
#include <array>

namespace clang {
namespace leaklib {

namespace {
constexpr llvm::StringLiteral Kind = "flag_write";
/// Notes about writes of the other value shown at most.
constexpr unsigned MaxNotes = 3;

enum WrittenValue : unsigned { False = 0, True = 1, Other = 2 };
constexpr llvm::StringLiteral ValueNames[] = {"false", "true", "other"};

/// The flag (a field, or a global: no local, no parameter) \p E names.
const ValueDecl *flagOf(const Expr *E) {
  E = ignoreTransparent(E, PeelTemporaries);
  const ValueDecl *D = nullptr;
  if (const auto *ME = dyn_cast_or_null<MemberExpr>(E))
    D = dyn_cast<FieldDecl>(ME->getMemberDecl());
  else if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        VD && VD->hasGlobalStorage() && !VD->isStaticLocal())
      D = VD;
  return D && isFlagType(D->getType()) ? D : nullptr;
}

unsigned valueOf(const Expr *E, const ASTContext &Ctx) {
  bool V = false;
  if (E && !E->isValueDependent() && E->EvaluateAsBooleanCondition(V, Ctx))
    return V ? True : False;
  return Other;
}

/// The writes to every flag of the TU: per flag (canonical declaration),
/// the first write of each value.
struct FlagWriteIndex {
  llvm::MapVector<const Decl *, std::array<const Expr *, 3>> Writes;
};

class Collector : public UserCodeVisitor<Collector> {
public:
  Collector(ASTContext &Ctx, FlagWriteIndex &Out)
      : UserCodeVisitor(Ctx), Out(Out) {}

  bool VisitBinaryOperator(BinaryOperator *BO) {
    if (BO->isAssignmentOp())
      note(BO->getLHS(),
           BO->getOpcode() == BO_Assign ? valueOf(BO->getRHS(), Ctx) : Other,
           BO);
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator *UO) {
    if (UO->getOpcode() == UO_AddrOf || UO->isIncrementDecrementOp())
      note(UO->getSubExpr(), Other, UO);
    return true;
  }
  bool VisitCXXOperatorCallExpr(CXXOperatorCallExpr *CE) {
    if (CE->getOperator() == OO_Equal && CE->getNumArgs() == 2)
      note(CE->getArg(0), valueOf(CE->getArg(1), Ctx), CE);
    return true;
  }
  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *CE) {
    const CXXMethodDecl *MD = CE->getMethodDecl();
    if (!MD || !MD->getIdentifier())
      return true;
    StringRef N = MD->getName();
    if ((N == "store" || N == "exchange") && CE->getNumArgs() >= 1)
      note(CE->getImplicitObjectArgument(), valueOf(CE->getArg(0), Ctx), CE);
    else if (N.starts_with("compare_exchange") || N.starts_with("fetch_"))
      note(CE->getImplicitObjectArgument(), Other, CE);
    return true;
  }
  /// Bound to a non-const reference or pointer parameter: anything.
  bool VisitCallExpr(CallExpr *CE) {
    const FunctionDecl *FD = CE->getDirectCallee();
    unsigned Skip = isa<CXXOperatorCallExpr>(CE) ? 1 : 0;
    for (unsigned I = Skip; I < CE->getNumArgs(); ++I) {
      const ParmVarDecl *P = FD && I - Skip < FD->getNumParams()
                                 ? FD->getParamDecl(I - Skip)
                                 : nullptr;
      QualType T = P ? P->getType() : QualType();
      if (!P ||
          (T->isReferenceType() && !T->getPointeeType().isConstQualified()))
        note(CE->getArg(I), Other, CE);
    }
    return true;
  }

private:
  void note(const Expr *Target, unsigned Value, const Expr *At) {
    if (const ValueDecl *D = flagOf(Target)) {
      const Expr *&First = Out.Writes[D->getCanonicalDecl()][Value];
      First = First ? First : At;
    }
  }
  FlagWriteIndex &Out;
};

FlagWriteIndex &writesOf(ASTContext &Ctx) {
  return PerContext<FlagWriteIndex>::get(Ctx, [&] {
    auto I = std::make_unique<FlagWriteIndex>();
    Collector(Ctx, *I).traverseUserCode();
    return I;
  });
}

/// A flag other translation units can write: a global with external
/// linkage, a member of a class defined outside the main file (a header).
bool shared(const ValueDecl *D) {
  if (const auto *VD = dyn_cast<VarDecl>(D))
    if (!VD->isExternallyVisible())
      return false;
  if (const auto *FD = dyn_cast<FieldDecl>(D)) {
    const SourceManager &SM = FD->getASTContext().getSourceManager();
    if (SM.isInMainFile(SM.getExpansionLoc(FD->getParent()->getLocation())))
      return false;
  }
  return ProjectFacts::visibleToOtherTUs(D);
}
} // namespace

std::optional<FlagCondition> flagCondition(const Expr *Cond) {
  FlagCondition C;
  C.StopValue = false;
  const Expr *E = ignoreTransparent(Cond, PeelTemporaries);
  for (unsigned Depth = 0; E && Depth < 4; ++Depth) {
    if (const auto *UO = dyn_cast<UnaryOperator>(E);
        UO && UO->getOpcode() == UO_LNot) {
      C.StopValue = !C.StopValue;
      E = ignoreTransparent(UO->getSubExpr(), PeelTemporaries);
      continue;
    }
    // `running_.load()`, and atomic<bool>'s `operator bool`.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      const CXXMethodDecl *MD = MC->getMethodDecl();
      if (!MD || !(isa<CXXConversionDecl>(MD) ||
                   (MD->getIdentifier() && MD->getName() == "load")))
        return std::nullopt;
      E = ignoreTransparent(MC->getImplicitObjectArgument(), PeelTemporaries);
      continue;
    }
    break;
  }
  C.Flag = flagOf(E);
  if (!C.Flag)
    return std::nullopt;
  return C;
}

bool flagNeverStops(ASTContext &Ctx, const FlagCondition &C,
                    std::vector<FlagNote> &Notes) {
  ProjectFacts &PF = ProjectFacts::get(Ctx);
  if (!PF.active() || !shared(C.Flag))
    return false;
  std::vector<ProjectFacts::Record> Others = PF.lookup(C.Flag, Kind);
  if (!PF.hasStore())
    return false; // not known: whoever writes the flag may stop the loop
  FlagWriteIndex &I = writesOf(Ctx);
  const auto *It = I.Writes.find(C.Flag->getCanonicalDecl());
  if (It != I.Writes.end() && (It->second[C.StopValue] || It->second[Other]))
    return false; // this TU can stop it
  StringRef Stop = ValueNames[C.StopValue];
  for (const ProjectFacts::Record &R : Others) {
    std::optional<StringRef> V = R.Payload.getString("value");
    if (!V || *V == Stop || *V == "other")
      return false; // another TU can
  }
  // Closed world: no file of the project writes the stopping value.
  if (It != I.Writes.end())
    if (const Expr *W = It->second[!C.StopValue])
      Notes.push_back({W->getExprLoc(), "", !C.StopValue});
  for (const ProjectFacts::Record &R : Others) {
    if (Notes.size() >= MaxNotes)
      break;
    FlagNote N{PF.locationOf(R), "", !C.StopValue};
    if (N.Loc.isInvalid())
      N.Where = R.File + ":" + std::to_string(R.Line);
    Notes.push_back(N);
  }
  return true;
}

void exportFlagWrites(ASTContext &Ctx) {
  ProjectFacts &PF = ProjectFacts::get(Ctx);
  if (!PF.exporting() || !PF.claim(Kind))
    return;
  for (const auto &[Canon, First] : writesOf(Ctx).Writes) {
    const auto *D = cast<ValueDecl>(Canon);
    if (!shared(D))
      continue;
    for (unsigned V = False; V <= Other; ++V)
      // Writes in project headers too: a TU running the loop may not include
      // the header whose inline stop() writes the flag (the index holds user
      // code only, and one write per value, so this stays small).
      if (First[V])
        PF.add(D, Kind, llvm::json::Object{{"value", ValueNames[V]}},
               First[V]->getExprLoc());
  }
}

} // namespace leaklib
} // namespace clang
