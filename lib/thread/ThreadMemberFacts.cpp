//===--- ThreadMemberFacts.cpp - leak-tidy --------------------------------===//
//
// Form 4 across translation units (project facts, kind `thread_member`):
// what the methods defined in this TU's main file do with a thread member
// (exported), and what the methods other TUs define do with it (read where
// this TU cannot see: a destructor or a stop method defined elsewhere, a
// constructor elsewhere starting the member). See docs/architecture.md,
// "Project facts".
//
//===----------------------------------------------------------------------===//
#include "lib/program/ProjectFacts.h"
#include "lib/thread/ThreadMembers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"

namespace clang {
namespace leaklib {

namespace {
constexpr llvm::StringLiteral Kind = "thread_member";
constexpr unsigned MaxDepth = 6;

std::string methodName(const FunctionDecl *FD) {
  return FD->getQualifiedNameAsString();
}

bool overridable(const CXXMethodDecl *MD, const CXXRecordDecl *RD) {
  return MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
         !RD->hasAttr<FinalAttr>();
}

StringRef opOf(const ProjectFacts::Record &R) {
  return R.Payload.getString("op").value_or("");
}
StringRef inOf(const ProjectFacts::Record &R) {
  return R.Payload.getString("in").value_or("");
}
bool isDtor(const ProjectFacts::Record &R) {
  return R.Payload.getBoolean("dtor").value_or(false);
}
/// A record saying what a whole method does: joins, or not (with the
/// methods it calls that its TU could not see).
bool isSummary(const ProjectFacts::Record &R) {
  return opOf(R) == "join" || opOf(R) == "none";
}
} // namespace

MemberElsewhere::MemberElsewhere(const CXXRecordDecl *RD, const MemberFacts &M)
    : RD(RD), M(M), PF(ProjectFacts::get(RD->getASTContext())) {}

void MemberElsewhere::exportFacts(llvm::ArrayRef<const FunctionDecl *> Defs) {
  if (!PF.exporting() || !ProjectFacts::visibleToOtherTUs(M.Field))
    return;
  const SourceManager &SM = RD->getASTContext().getSourceManager();
  for (const FunctionDecl *Def : Defs) {
    // An inline method of a header: every TU that needs it sees it.
    if (!SM.isInMainFile(SM.getExpansionLoc(Def->getLocation())))
      continue;
    std::string In = methodName(Def);
    bool Dtor = isa<CXXDestructorDecl>(Def);
    auto Fact = [&](StringRef Op) {
      return llvm::json::Object{{"op", Op}, {"in", In}, {"dtor", Dtor}};
    };
    for (const auto &S : M.Starts)
      if (S.second == Def)
        PF.add(M.Field, Kind, Fact("start"), S.first);
    if (llvm::is_contained(M.EscapesIn, Def))
      PF.add(M.Field, Kind, Fact("escape"), Def->getLocation());
    llvm::DenseSet<const FunctionDecl *> Seen;
    llvm::SmallVector<const CXXMethodDecl *, 2> Unseen;
    bool Joins = reachesJoinHere(Def, M, RD, 0, Seen, Unseen);
    llvm::json::Object Summary = Fact(Joins ? "join" : "none");
    if (!Joins) {
      llvm::json::Array Calls;
      for (const CXXMethodDecl *U : Unseen)
        Calls.push_back(methodName(U));
      Summary["calls"] = std::move(Calls);
    }
    PF.add(M.Field, Kind, std::move(Summary), Def->getLocation());
  }
}

const std::vector<ProjectFacts::Record> &MemberElsewhere::records() {
  if (!Asked) {
    Records = PF.lookup(M.Field, Kind);
    Asked = true;
  }
  return Records;
}

const ProjectFacts::Record *MemberElsewhere::start() {
  for (const ProjectFacts::Record &R : records())
    if (opOf(R) == "start")
      return &R;
  return nullptr;
}

bool MemberElsewhere::escapes() {
  return llvm::any_of(records(), [](const ProjectFacts::Record &R) {
    return opOf(R) == "escape";
  });
}

const ProjectFacts::Record *MemberElsewhere::joinOutsideDestructor() {
  for (const ProjectFacts::Record &R : records())
    if (opOf(R) == "join" && !isDtor(R))
      return &R;
  return nullptr;
}

MemberElsewhere::Verdict MemberElsewhere::localJoins(const FunctionDecl *Def,
                                                     unsigned Depth,
                                                     llvm::StringSet<> &Seen) {
  llvm::DenseSet<const FunctionDecl *> SeenHere;
  llvm::SmallVector<const CXXMethodDecl *, 2> Unseen;
  if (reachesJoinHere(Def, M, RD, 0, SeenHere, Unseen))
    return Verdict::Joins;
  Verdict V = Verdict::DoesNotJoin;
  for (const CXXMethodDecl *U : Unseen) {
    if (overridable(U, RD))
      return Verdict::Unknown; // an override may join
    Verdict Callee = methodJoins(methodName(U), Depth + 1, Seen);
    if (Callee == Verdict::Joins)
      return Callee;
    if (Callee == Verdict::Unknown)
      V = Verdict::Unknown;
  }
  return V;
}

MemberElsewhere::Verdict MemberElsewhere::methodJoins(StringRef Name,
                                                      unsigned Depth,
                                                      llvm::StringSet<> &Seen) {
  if (Depth > MaxDepth)
    return Verdict::Unknown;
  if (!Seen.insert(Name).second)
    return Verdict::DoesNotJoin; // a cycle adds no join
  for (const CXXMethodDecl *MD : RD->methods()) {
    const FunctionDecl *Def = nullptr;
    if (methodName(MD) != Name)
      continue;
    if (overridable(MD, RD))
      return Verdict::Unknown;
    if (MD->hasBody(Def) && Def)
      return localJoins(Def, Depth, Seen);
  }
  Verdict V = Verdict::Unknown; // no TU says what it does
  for (const ProjectFacts::Record &R : records()) {
    if (!isSummary(R) || inOf(R) != Name)
      continue;
    if (opOf(R) == "join")
      return Verdict::Joins;
    if (V == Verdict::Unknown)
      V = Verdict::DoesNotJoin;
    if (!Culprit)
      Culprit = &R;
    const llvm::json::Array *Calls = R.Payload.getArray("calls");
    for (const llvm::json::Value &C : Calls ? *Calls : llvm::json::Array()) {
      std::optional<StringRef> Callee = C.getAsString();
      Verdict CV =
          Callee ? methodJoins(*Callee, Depth + 1, Seen) : Verdict::Unknown;
      if (CV == Verdict::Joins)
        return CV;
      if (CV == Verdict::Unknown)
        V = Verdict::Unknown;
    }
  }
  return V;
}

MemberElsewhere::Verdict
MemberElsewhere::destructorJoins(const FunctionDecl *DtorDef) {
  llvm::StringSet<> Seen;
  if (DtorDef)
    return localJoins(DtorDef, 0, Seen);
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  return Dtor ? methodJoins(methodName(Dtor), 0, Seen) : Verdict::Unknown;
}

void MemberElsewhere::describe(ThreadFinding &F) {
  if (F.StartedIn == nullptr) {
    if (const ProjectFacts::Record *S = start()) {
      StringRef In = inOf(*S);
      F.StartedInName = In.ends_with("::" + RD->getName().str())
                            ? "the constructor"
                            : "'" + In.str() + "'";
      F.StartedFile = S->File;
      F.Started = PF.locationOf(*S);
    }
  }
  if (Culprit) {
    F.NotJoinedIn = inOf(*Culprit).str();
    F.NotJoinedFile = Culprit->File;
    F.NotJoinedAt = PF.locationOf(*Culprit);
    F.NotJoinedInDestructor = isDtor(*Culprit);
  }
}

} // namespace leaklib
} // namespace clang
