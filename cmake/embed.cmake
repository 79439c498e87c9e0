# blindspot_embed(TARGET <lib> NAME <symbol> BASE <dir> GLOBS <glob>...)
# Compiles every file matching GLOBS (relative to BASE) into <lib> as a table
#   const blindspot::EmbeddedFile <symbol>[]; size_t <symbol>_count;
# so the binary needs no data directory at run time. New files are picked up
# at the next build (CONFIGURE_DEPENDS).
function(blindspot_embed)
  cmake_parse_arguments(E "" "TARGET;NAME;BASE" "GLOBS" ${ARGN})
  set(files)
  foreach(g ${E_GLOBS})
    file(GLOB_RECURSE found CONFIGURE_DEPENDS RELATIVE ${E_BASE} ${E_BASE}/${g})
    list(APPEND files ${found})
  endforeach()
  list(SORT files)
  set(abs)
  foreach(f ${files})
    list(APPEND abs ${E_BASE}/${f})
  endforeach()
  string(REPLACE ";" "|" files_arg "${files}")
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${E_NAME}.cc)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${E_NAME} -DBASE=${E_BASE} "-DFILES=${files_arg}"
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${abs} ${PROJECT_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${E_NAME} (${E_BASE})"
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE ${out})
endfunction()
