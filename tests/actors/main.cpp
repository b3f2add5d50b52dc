// The main function and test runner of CAF's unit-test framework, which caf/test/dsl.hpp needs
// (so the actor tests are a binary of their own, beside the doctest ones).
#include <caf/test/unit_test_impl.hpp>
