# The store suite runs against PostgreSQL too (issue: "the same store test suite against both").
# A CTest fixture starts a throw-away cluster before the first PostgreSQL case and stops it after
# the last one. The cases are the doctest cases named `…<postgres>`; they are discovered with the
# rest of unit_tests and e2e_tests, and the CTest script written below gives exactly those the
# fixture and the file holding the cluster's URL. Include this after both doctest_discover_tests.

set(PG_TEST_STATE_DIR ${CMAKE_BINARY_DIR}/pg-test)
set(PG_CLUSTER_SCRIPT ${PROJECT_SOURCE_DIR}/tests/support/pg_cluster.sh)

add_test(NAME pg_cluster_start COMMAND ${PG_CLUSTER_SCRIPT} start ${PG_TEST_STATE_DIR})
set_tests_properties(pg_cluster_start PROPERTIES FIXTURES_SETUP pg_cluster TIMEOUT 120)
add_test(NAME pg_cluster_stop COMMAND ${PG_CLUSTER_SCRIPT} stop ${PG_TEST_STATE_DIR})
set_tests_properties(pg_cluster_stop PROPERTIES FIXTURES_CLEANUP pg_cluster TIMEOUT 60)

# Runs inside CTest after the discovered tests were added (TEST_INCLUDE_FILES keep their order).
# When the cluster cannot start, CTest reports these cases as failed ("Not Run"), never passed.
set(PG_TEST_PROPERTIES_FILE ${CMAKE_BINARY_DIR}/pg_test_properties.cmake)
file(WRITE ${PG_TEST_PROPERTIES_FILE} "
foreach(t IN LISTS unit_tests_TESTS e2e_tests_TESTS)
  if(t MATCHES \"<postgres>\")
    set_tests_properties(\"\${t}\" PROPERTIES FIXTURES_REQUIRED pg_cluster
      ENVIRONMENT \"NOCTURNA_TEST_PG_URL_FILE=${PG_TEST_STATE_DIR}/url\")
  endif()
endforeach()
")
set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${PG_TEST_PROPERTIES_FILE})
