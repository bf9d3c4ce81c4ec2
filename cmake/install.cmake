# cmake --install: the program, the library libframepipe, its headers and package files, the man
# page, the desktop entry, the icon and shell completion. Paths come from GNUInstallDirs, so
# CMAKE_INSTALL_PREFIX and DESTDIR are honoured. Included from the top CMakeLists.txt.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# libframepipe carries the queues and the player API: the rooms below app/. The rooms stay static
# libraries of their own, so that the link walls hold; their objects, compiled once and
# position-independent, also make the installed libraries. The shared one exports only the
# functions of include/framepipe/ (libframepipe.map).
set(FP_SOVERSION 0)
set(fp_lib_rooms framepipe_pipeline framepipe_index framepipe_output framepipe_core)
set_target_properties(${fp_lib_rooms} PROPERTIES POSITION_INDEPENDENT_CODE ON)
set(fp_lib_objects "")
foreach(room ${fp_lib_rooms})
  list(APPEND fp_lib_objects $<TARGET_OBJECTS:${room}>)
endforeach()
add_library(framepipe_shared SHARED ${fp_lib_objects})
add_library(framepipe_static STATIC ${fp_lib_objects})
set_target_properties(framepipe_shared PROPERTIES EXPORT_NAME framepipe
  VERSION ${PROJECT_VERSION} SOVERSION ${FP_SOVERSION}
  LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/libframepipe.map)
target_link_options(framepipe_shared PRIVATE
  -Wl,--version-script=${CMAKE_CURRENT_LIST_DIR}/libframepipe.map)
if(NOT FP_SANITIZE AND NOT FP_FUZZ) # a sanitizer's runtime comes with the program, not the library
  target_link_options(framepipe_shared PRIVATE -Wl,--no-undefined)
endif()
set_target_properties(framepipe_static PROPERTIES EXPORT_NAME framepipe_static)
# In the build, the pkg-config targets found above; once installed, the ones framepipeConfig.cmake
# makes under names of its own, so that they cannot meet a user's.
foreach(lib framepipe_shared framepipe_static)
  set_target_properties(${lib} PROPERTIES OUTPUT_NAME framepipe LINKER_LANGUAGE C)
  target_include_directories(${lib} INTERFACE
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_link_libraries(${lib}
    PUBLIC $<BUILD_INTERFACE:PkgConfig::LIBAV> $<INSTALL_INTERFACE:PkgConfig::framepipe_libav>
    PRIVATE $<BUILD_INTERFACE:PkgConfig::SDL2> $<INSTALL_INTERFACE:PkgConfig::framepipe_sdl2>
            Threads::Threads m)
endforeach()

install(TARGETS framepipe RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS framepipe_shared framepipe_static EXPORT framepipeTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY include/framepipe DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(fp_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/framepipe)
install(EXPORT framepipeTargets NAMESPACE framepipe:: DESTINATION ${fp_cmake_dir})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/framepipeConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/framepipeConfig.cmake INSTALL_DESTINATION ${fp_cmake_dir})
# 0.x: a new minor version may change the API.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/framepipeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/framepipeConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/framepipeConfigVersion.cmake
  DESTINATION ${fp_cmake_dir})

# framepipe.pc; libdir and includedir relative to ${prefix} when they are under it.
foreach(dir LIBDIR INCLUDEDIR)
  string(TOLOWER ${dir} name)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(fp_pc_${name} "${CMAKE_INSTALL_${dir}}")
  else()
    set(fp_pc_${name} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/framepipe.pc.in ${CMAKE_CURRENT_BINARY_DIR}/framepipe.pc
  @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/framepipe.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# What a desktop needs: the manual, the menu entry and its icon, completion for bash and zsh.
set(FP_ZSH_COMPLETION_DIR ${CMAKE_INSTALL_DATADIR}/zsh/site-functions CACHE STRING
  "Where the zsh completion goes (Debian's zsh reads share/zsh/vendor-completions)")
install(FILES dist/framepipe.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES dist/framepipe.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES dist/framepipe.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES dist/framepipe.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME framepipe)
install(FILES dist/_framepipe DESTINATION ${FP_ZSH_COMPLETION_DIR})
