// The test runner itself must fail when an expectation is wrong: a missing
// warning, an unexpected one, and code that does not compile.
// RUN: %python %s.py %check_leak
int main() { return 0; }
